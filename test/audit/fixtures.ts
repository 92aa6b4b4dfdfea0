import type { Services } from '../../src/app/services.js';
import type { Authenticator, Viewer } from '../../src/app/viewer.js';
import type { StreamModel } from '../../src/domain/shared/decider.js';
import type { DomainEvent } from '../../src/domain/shared/events.js';

export const TEST_SECRET = 'test-secret-test-secret-test-secret-0123456789';

export const auditor: Viewer = {
  accountId: 'auditor-account',
  kind: 'CITIZEN',
  identifier: 'K00000001A',
  displayName: 'Drita Auditore',
  roles: ['CITIZEN', 'AUDITOR'],
  institution: null,
  sessionId: 'auditor-session',
};

/** A fake sign-in: each token stands for one viewer. */
export function fakeAuthenticator(viewers: Record<string, Viewer>): Authenticator {
  return { viewerForToken: async (token) => viewers[token] ?? null };
}

const appendOnly: StreamModel<null, DomainEvent> = {
  name: 'test-append',
  initialState: () => null,
  evolve: (s) => s,
};

/** Appends one event through the command handler (so it is chained); resolves with its position. */
export async function appendEvent(
  services: Services,
  stream: string,
  type: string,
  data: Record<string, unknown>,
): Promise<number> {
  const outcome = await services.commands.execute(
    stream,
    appendOnly,
    () => ({
      events: [{ type, data: { occurredAt: services.clock.now().toISOString(), ...data } }],
      result: null,
    }),
    { actor: { kind: 'SYSTEM', display: 'Test' }, correlationId: 'test', ip: '192.0.2.7' },
  );
  await services.projections.waitFor(outcome.position);
  return outcome.position!;
}
