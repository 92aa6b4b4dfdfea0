import { accountModel } from '../../domain/account/decide.js';
import { accountStream } from '../../domain/shared/streams.js';
import { sessionIdFor } from '../../infra/sessions/port.js';
import type { Services } from '../services.js';
import type { Authenticator, Role, Viewer } from '../viewer.js';
import { accountView } from './results.js';

/**
 * Token -> session (idle and absolute expiry on the server clock) -> the account's own stream, which
 * must still hold the session open (a password change or logout ends it there first) and gives the
 * roles. Roles are never read from a read model.
 */
export function createAuthenticator(
  services: Pick<Services, 'clock' | 'commands' | 'keys' | 'sessions'>,
): Authenticator {
  return {
    async viewerForToken(token: string): Promise<Viewer | null> {
      if (token.length < 20 || token.length > 200) return null;
      const sessionId = sessionIdFor(services.keys.sessions, token);
      const record = await services.sessions.touch(sessionId, services.clock.now());
      if (!record) return null;
      const { state } = await services.commands.load(accountStream(record.accountId), accountModel);
      if (state.status !== 'ACTIVE' || !state.sessions[sessionId]) {
        await services.sessions.end(sessionId);
        return null;
      }
      const view = accountView(state);
      return {
        accountId: view.id,
        kind: view.kind,
        identifier: view.identifier,
        displayName: view.displayName,
        roles: view.roles as Role[],
        institution: view.institution,
        sessionId,
      };
    },
  };
}
