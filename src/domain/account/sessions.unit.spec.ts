import { describe, it } from 'vitest';
import {
  ACCOUNT_ID,
  at,
  command,
  followedBy,
  given,
  registeredCitizen,
  SESSION,
  signedIn,
} from '../../../test/support/account-fixtures.js';

describe('EndSession', () => {
  it('ends an open session with the reason given (LOGOUT)', () => {
    given(signedIn())
      .when(command.endSession({ now: at(1) }))
      .then(
        [
          {
            type: 'SessionEnded',
            data: {
              accountId: ACCOUNT_ID,
              sessionId: SESSION.signIn,
              reason: 'LOGOUT',
              endedAt: at(1).toISOString(),
            },
          },
        ],
        { kind: 'SessionEnded', ended: true },
      );
  });

  it('ends only the session named: the other sessions stay', () => {
    given(signedIn())
      .when(command.endSession({ sessionId: SESSION.registration, now: at(1) }))
      .then([
        {
          type: 'SessionEnded',
          data: {
            accountId: ACCOUNT_ID,
            sessionId: SESSION.registration,
            reason: 'LOGOUT',
            endedAt: at(1).toISOString(),
          },
        },
      ]);
  });

  it('a session already ended answers ended: false and appends nothing', () => {
    given(followedBy(signedIn(), command.endSession({ now: at(1) })))
      .when(command.endSession({ now: at(2) }))
      .thenNothing({ kind: 'SessionEnded', ended: false });
  });

  it('an unknown session answers ended: false', () => {
    given(signedIn())
      .when(command.endSession({ sessionId: 'session-unknown' }))
      .thenNothing({ kind: 'SessionEnded', ended: false });
  });

  it('a stream without an active account has no sessions: ended: false', () => {
    given(registeredCitizen()).when(command.endSession()).thenNothing({ kind: 'SessionEnded', ended: false });
    given([]).when(command.endSession()).thenNothing({ kind: 'SessionEnded', ended: false });
  });
});
