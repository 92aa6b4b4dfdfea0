import { describe, it } from 'vitest';
import {
  ACCOUNT_ID,
  activeAccount,
  at,
  BOTH,
  CHALLENGE,
  codeHash,
  command,
  contactChangeStarted,
  followedBy,
  given,
  isoAt,
  lockedAccount,
  MINUTE,
  otpIssued,
  otpRejected,
  otpVerified,
  recoveryStarted,
  SESSION,
  sessionStarted,
  signedIn,
  signInChallengeOpen,
  T0,
  WRONG_CODE,
} from '../../../test/support/account-fixtures.js';
import type { AccountCommand } from './commands.js';
import type { AccountEvent } from './events.js';
import {
  CODE_TTL_MS,
  FAILURES_BEFORE_LOCK,
  LOCK_MS,
  MAX_WRONG_CODES,
  WRONG_CODES_BEFORE_LOCK,
  WRONG_CODES_WINDOW_MS,
} from './rules.js';

const RESENT = 'hmac-code-resent';

/**
 * `count` wrong sign-in codes typed at `now`, spread over fresh challenges so that none reaches
 * MAX_WRONG_CODES (each new challenge voids the previous one); the last challenge stays open.
 */
function wrongSignInCodes(base: AccountEvent[], count: number, now: Date, last = 'challenge-last') {
  const commands: AccountCommand[] = [];
  let n = 0;
  let round = 0;
  while (n < count) {
    const challengeId = `challenge-${round++}`;
    commands.push(command.startSignIn({ challengeId, codeHash: codeHash(challengeId), now }));
    for (let i = 0; i < MAX_WRONG_CODES - 1 && n < count; i++, n++)
      commands.push(command.completeSignIn({ challengeId, codeHash: WRONG_CODE, now }));
  }
  commands.push(command.startSignIn({ challengeId: last, codeHash: codeHash(last), now }));
  return followedBy(base, ...commands);
}

describe('ResendCode', () => {
  it('re-issues the same challenge with a new code and a fresh CODE_TTL_MS', () => {
    const now = at(CODE_TTL_MS - 1);
    given(signInChallengeOpen())
      .when(command.resendCode({ now }))
      .then([otpIssued(CHALLENGE.signIn, 'SIGN_IN', now, RESENT)], {
        kind: 'CodeSent',
        challengeId: CHALLENGE.signIn,
        channels: BOTH,
        expiresAt: isoAt(CODE_TTL_MS - 1 + CODE_TTL_MS),
      });
  });

  it('the resent code replaces the previous one, and wrong tries carry over', () => {
    const history = followedBy(
      signInChallengeOpen(),
      command.completeSignIn({ codeHash: WRONG_CODE, now: at(1) }),
      command.resendCode({ now: at(2) }),
    );
    given(history)
      .when(command.completeSignIn({ now: at(3) }))
      .then([otpRejected(CHALLENGE.signIn, 2, at(3))], {
        kind: 'CodeRejected',
        reason: 'INVALID',
        attemptsLeft: MAX_WRONG_CODES - 2,
      });
    given(history)
      .when(command.completeSignIn({ codeHash: RESENT, now: at(3) }))
      .then([otpVerified(CHALLENGE.signIn, at(3)), sessionStarted(SESSION.signIn, at(3))]);
  });

  it('an unknown challenge is INVALID', () => {
    given(activeAccount())
      .when(command.resendCode({ challengeId: 'challenge-unknown' }))
      .thenNothing({ kind: 'CodeRejected', reason: 'INVALID', attemptsLeft: 0 });
  });

  it('a used code is ALREADY_USED', () => {
    given(signedIn())
      .when(command.resendCode({ now: at(1) }))
      .thenNothing({ kind: 'CodeRejected', reason: 'ALREADY_USED', attemptsLeft: 0 });
  });

  it('a code killed by MAX_WRONG_CODES wrong tries is TOO_MANY_ATTEMPTS', () => {
    const history = followedBy(
      signInChallengeOpen(),
      ...Array.from({ length: MAX_WRONG_CODES }, () => command.completeSignIn({ codeHash: WRONG_CODE })),
    );
    given(history)
      .when(command.resendCode())
      .thenNothing({ kind: 'CodeRejected', reason: 'TOO_MANY_ATTEMPTS', attemptsLeft: 0 });
  });

  it('an expired challenge (CODE_TTL_MS) means starting again: EXPIRED', () => {
    given(signInChallengeOpen())
      .when(command.resendCode({ now: at(CODE_TTL_MS) }))
      .thenNothing({ kind: 'CodeRejected', reason: 'EXPIRED', attemptsLeft: 0 });
  });

  it('while locked no sign-in code goes out: EXPIRED', () => {
    const history = followedBy(
      signInChallengeOpen(),
      ...Array.from({ length: FAILURES_BEFORE_LOCK }, () =>
        command.startSignIn({ passwordMatches: false, challengeId: 'challenge-other', now: at(1) }),
      ),
    );
    given(history)
      .when(command.resendCode({ now: at(2) }))
      .thenNothing({ kind: 'CodeRejected', reason: 'EXPIRED', attemptsLeft: 0 });
  });

  it('a recovery code is resent during a lock (recovery stays open)', () => {
    given(recoveryStarted(at(1), lockedAccount()))
      .when(command.resendCode({ challengeId: CHALLENGE.recovery, now: at(2) }))
      .then([otpIssued(CHALLENGE.recovery, 'RECOVERY', at(2), RESENT)]);
  });

  it("an older recovery's code is not resent once a newer recovery started: EXPIRED", () => {
    const history = followedBy(
      recoveryStarted(),
      command.startRecovery({ recoveryId: 'recovery-2', now: at(1) }),
    );
    given(history)
      .when(command.resendCode({ challengeId: CHALLENGE.recovery, now: at(2) }))
      .thenNothing({ kind: 'CodeRejected', reason: 'EXPIRED', attemptsLeft: 0 });
  });

  it("a contact change's code is resent only on its own channels (the new contacts)", () => {
    given(contactChangeStarted({ email: 'x@example.al' }))
      .when(command.resendCode({ challengeId: CHALLENGE.contactChange, now: at(1) }))
      .then([otpIssued(CHALLENGE.contactChange, 'CONTACT_CHANGE', at(1), RESENT, ['EMAIL'])], {
        kind: 'CodeSent',
        challengeId: CHALLENGE.contactChange,
        channels: ['EMAIL'],
        expiresAt: isoAt(1 + CODE_TTL_MS),
      });
  });
});

describe('one-time codes (judged by CompleteSignIn)', () => {
  it('a code is valid until just before CODE_TTL_MS after it was issued', () => {
    given(signInChallengeOpen())
      .when(command.completeSignIn({ now: at(CODE_TTL_MS - 1) }))
      .then([
        otpVerified(CHALLENGE.signIn, at(CODE_TTL_MS - 1)),
        sessionStarted(SESSION.signIn, at(CODE_TTL_MS - 1)),
      ]);
  });

  it('a code expires CODE_TTL_MS after it was issued: EXPIRED, nothing counted', () => {
    given(signInChallengeOpen())
      .when(command.completeSignIn({ now: at(CODE_TTL_MS) }))
      .thenNothing({ kind: 'CodeRejected', reason: 'EXPIRED', attemptsLeft: 0 });
  });

  it('the MAX_WRONG_CODES-th wrong try kills the code (TOO_MANY_ATTEMPTS)', () => {
    const history = followedBy(
      signInChallengeOpen(),
      ...Array.from({ length: MAX_WRONG_CODES - 1 }, () => command.completeSignIn({ codeHash: WRONG_CODE })),
    );
    given(history)
      .when(command.completeSignIn({ codeHash: WRONG_CODE, now: at(1) }))
      .then([otpRejected(CHALLENGE.signIn, MAX_WRONG_CODES, at(1))], {
        kind: 'CodeRejected',
        reason: 'TOO_MANY_ATTEMPTS',
        attemptsLeft: 0,
      });
  });

  it('a killed code refuses even the right code, appending nothing', () => {
    const history = followedBy(
      signInChallengeOpen(),
      ...Array.from({ length: MAX_WRONG_CODES }, () => command.completeSignIn({ codeHash: WRONG_CODE })),
    );
    given(history)
      .when(command.completeSignIn({ now: at(1) }))
      .thenNothing({ kind: 'CodeRejected', reason: 'TOO_MANY_ATTEMPTS', attemptsLeft: 0 });
  });

  it('a code is used once: the second time it is ALREADY_USED', () => {
    given(signedIn())
      .when(command.completeSignIn({ sessionId: 'session-2', now: at(1) }))
      .thenNothing({ kind: 'CodeRejected', reason: 'ALREADY_USED', attemptsLeft: 0 });
  });

  it('a new code of the same purpose voids the open one: EXPIRED', () => {
    const history = followedBy(
      signInChallengeOpen(),
      command.startSignIn({ challengeId: 'challenge-2', now: at(1) }),
    );
    given(history)
      .when(command.completeSignIn({ now: at(2) }))
      .thenNothing({ kind: 'CodeRejected', reason: 'EXPIRED', attemptsLeft: 0 });
  });

  it('the WRONG_CODES_BEFORE_LOCK-th wrong code within the window is appended with AccountLocked for LOCK_MS', () => {
    const now = at(MINUTE);
    given(wrongSignInCodes(activeAccount(), WRONG_CODES_BEFORE_LOCK - 1, T0))
      .when(command.completeSignIn({ challengeId: 'challenge-last', codeHash: WRONG_CODE, now }))
      .then(
        [
          otpRejected('challenge-last', 1, now),
          {
            type: 'AccountLocked',
            data: {
              accountId: ACCOUNT_ID,
              lockedAt: now.toISOString(),
              lockedUntil: isoAt(MINUTE + LOCK_MS),
              reason: 'TOO_MANY_WRONG_CODES',
            },
          },
        ],
        { kind: 'Locked', lockedUntil: isoAt(MINUTE + LOCK_MS) },
      );
  });

  it('wrong codes older than WRONG_CODES_WINDOW_MS no longer count toward the lock', () => {
    const base = wrongSignInCodes(activeAccount(), WRONG_CODES_BEFORE_LOCK - 1, T0, 'unused');
    const now = at(WRONG_CODES_WINDOW_MS);
    const history = followedBy(
      base,
      command.startSignIn({ challengeId: 'challenge-late', codeHash: 'h', now }),
    );
    given(history)
      .when(command.completeSignIn({ challengeId: 'challenge-late', codeHash: WRONG_CODE, now }))
      .then([otpRejected('challenge-late', 1, now)], {
        kind: 'CodeRejected',
        reason: 'INVALID',
        attemptsLeft: MAX_WRONG_CODES - 1,
      });
  });

  it('wrong password-change codes count toward the same lock', () => {
    const base = wrongSignInCodes(signedIn(), WRONG_CODES_BEFORE_LOCK - 1, T0, 'unused');
    const history = followedBy(
      base,
      command.startSignIn({
        purpose: 'PASSWORD_CHANGE',
        challengeId: CHALLENGE.passwordChange,
        codeHash: codeHash(CHALLENGE.passwordChange),
      }),
    );
    given(history)
      .when(command.changePassword({ codeHash: WRONG_CODE, now: at(1) }))
      .then([
        otpRejected(CHALLENGE.passwordChange, 1, at(1)),
        {
          type: 'AccountLocked',
          data: {
            accountId: ACCOUNT_ID,
            lockedAt: isoAt(1),
            lockedUntil: isoAt(1 + LOCK_MS),
            reason: 'TOO_MANY_WRONG_CODES',
          },
        },
      ]);
  });
});
