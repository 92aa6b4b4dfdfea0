import type { AccountState } from '../../domain/account/state.js';
import { newSessionToken, sessionIdFor } from '../../infra/sessions/port.js';
import type { Services } from '../services.js';
import { accountView, type SessionStartedResult } from './results.js';

/** A new token and its id, made before the command so the decision can record SessionStarted. */
export function freshSession(services: Pick<Services, 'keys'>) {
  const token = newSessionToken();
  return { token, sessionId: sessionIdFor(services.keys.sessions, token) };
}

/** Whether the account's identifier is listed in ADMIN_IDENTIFIERS. */
export function isAdminIdentifier(services: Pick<Services, 'config'>, state: AccountState): boolean {
  return state.status !== 'NONE' && services.config.ADMIN_IDENTIFIERS.includes(state.profile.identifier);
}

/** After SessionStarted was appended (`after`: the fold with it): the session store learns of it, the caller gets the token. */
export async function openSession(
  services: Pick<Services, 'clock' | 'sessions'>,
  after: AccountState,
  session: { token: string; sessionId: string },
  expiresAt: string,
): Promise<SessionStartedResult> {
  if (after.status !== 'ACTIVE' || after.accountId === null)
    throw new Error('a session started on an inactive account');
  const now = services.clock.now().getTime();
  await services.sessions.create({
    sessionId: session.sessionId,
    accountId: after.accountId,
    startedAt: now,
    lastSeenAt: now,
    expiresAt: Date.parse(expiresAt),
  });
  return { kind: 'SessionStarted', token: session.token, expiresAt, account: accountView(after) };
}
