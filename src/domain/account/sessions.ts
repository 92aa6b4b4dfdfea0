import type { AccountCommand } from './commands.js';
import { iso, later, nothing } from './decision-parts.js';
import type { AccountEvent } from './events.js';
import type { AccountDecision } from './outcomes.js';
import { REAUTHENTICATION_MS, SESSION_ABSOLUTE_MS } from './rules.js';
import type { AccountState } from './state.js';

type Of<T extends AccountCommand['type']> = Extract<AccountCommand, { type: T }>;

export function sessionStart(
  accountId: string,
  sessionId: string,
  now: Date,
  grantAdmin: boolean,
  hasAdmin: boolean,
) {
  const expiresAt = later(now, SESSION_ABSOLUTE_MS);
  const events: AccountEvent[] = [
    { type: 'SessionStarted', data: { accountId, sessionId, startedAt: iso(now), expiresAt } },
  ];
  // ADMIN_IDENTIFIERS: the grant is an event like any other, recorded the first time it applies.
  if (grantAdmin && !hasAdmin)
    events.push({
      type: 'RoleGranted',
      data: { accountId, role: 'ADMIN', institution: null, reason: 'ADMIN_IDENTIFIERS', grantedAt: iso(now) },
    });
  return { events, outcome: { kind: 'SessionStarted' as const, sessionId, expiresAt } };
}

export function endSession(state: AccountState, c: Of<'EndSession'>): AccountDecision {
  if (state.status !== 'ACTIVE' || !state.sessions[c.sessionId] || state.accountId === null)
    return nothing({ kind: 'SessionEnded', ended: false });
  return {
    events: [
      {
        type: 'SessionEnded',
        data: { accountId: state.accountId, sessionId: c.sessionId, reason: c.reason, endedAt: iso(c.now) },
      },
    ],
    outcome: { kind: 'SessionEnded', ended: true },
  };
}

/**
 * Whether the session started at most REAUTHENTICATION_MS before `now`. Every SessionStarted follows a
 * password and a code (confirmRegistration: the password just chosen and the registration code;
 * completeLogin; setNewPassword after a temporary password and its code), so its start is the time of
 * the last full authentication of whoever holds it.
 */
export function recentlyAuthenticated(state: AccountState, sessionId: string, now: Date): boolean {
  if (state.status !== 'ACTIVE') return false;
  const session = state.sessions[sessionId];
  return session !== undefined && now.getTime() - Date.parse(session.startedAt) <= REAUTHENTICATION_MS;
}
