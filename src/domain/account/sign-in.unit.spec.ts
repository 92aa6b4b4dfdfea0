import { describe, it } from 'vitest';
import {
  ACCOUNT_ID,
  activeAccount,
  at,
  BOTH,
  CHALLENGE,
  command,
  followedBy,
  given,
  isoAt,
  lockedAccount,
  otpIssued,
  otpRejected,
  otpVerified,
  registeredCitizen,
  SESSION,
  sessionStarted,
  signInChallengeOpen,
  staffAccount,
  T0,
  WRONG_CODE,
} from '../../../test/support/account-fixtures.js';
import type { AccountEvent } from './events.js';
import { CODE_TTL_MS, FAILURES_BEFORE_LOCK, LOCK_MS, MAX_WRONG_CODES } from './rules.js';

const passwordAccepted = (now: Date): AccountEvent => ({
  type: 'PasswordAccepted',
  data: { accountId: ACCOUNT_ID, acceptedAt: now.toISOString() },
});
const passwordRejected = (countedFailures: number, now: Date): AccountEvent => ({
  type: 'PasswordRejected',
  data: { accountId: ACCOUNT_ID, countedFailures, rejectedAt: now.toISOString() },
});
const wrongPasswords = (n: number, now = T0) =>
  Array.from({ length: n }, () => command.startSignIn({ passwordMatches: false, now }));

describe('StartSignIn (purpose SIGN_IN)', () => {
  it('the right password is accepted and a SIGN_IN code goes to both contacts', () => {
    given(activeAccount())
      .when(command.startSignIn({ now: at(1) }))
      .then([passwordAccepted(at(1)), otpIssued(CHALLENGE.signIn, 'SIGN_IN', at(1))], {
        kind: 'CodeSent',
        challengeId: CHALLENGE.signIn,
        channels: BOTH,
        expiresAt: isoAt(1 + CODE_TTL_MS),
      });
  });

  it('a wrong password is counted (PasswordRejected, countedFailures 1) and answered SignInRejected', () => {
    given(activeAccount())
      .when(command.startSignIn({ passwordMatches: false, now: at(1) }))
      .then([passwordRejected(1, at(1))], { kind: 'SignInRejected' });
  });

  it('the FAILURES_BEFORE_LOCK-th wrong password is appended with AccountLocked until exactly LOCK_MS later', () => {
    const now = at(5_000);
    given(followedBy(activeAccount(), ...wrongPasswords(FAILURES_BEFORE_LOCK - 1)))
      .when(command.startSignIn({ passwordMatches: false, now }))
      .then(
        [
          passwordRejected(FAILURES_BEFORE_LOCK, now),
          {
            type: 'AccountLocked',
            data: {
              accountId: ACCOUNT_ID,
              lockedAt: now.toISOString(),
              lockedUntil: isoAt(5_000 + LOCK_MS),
              reason: 'TOO_MANY_WRONG_PASSWORDS',
            },
          },
        ],
        { kind: 'Locked', lockedUntil: isoAt(5_000 + LOCK_MS) },
      );
  });

  it('while locked even the right password is refused unverified (SignInRefused START_LOGIN), nothing counted', () => {
    const now = at(LOCK_MS - 1);
    given(lockedAccount())
      .when(command.startSignIn({ now }))
      .then(
        [
          {
            type: 'SignInRefused',
            data: {
              accountId: ACCOUNT_ID,
              step: 'START_LOGIN',
              reason: 'LOCKED',
              lockedUntil: isoAt(LOCK_MS),
              refusedAt: now.toISOString(),
            },
          },
        ],
        { kind: 'Locked', lockedUntil: isoAt(LOCK_MS) },
      );
  });

  it('the lock ends by itself exactly LOCK_MS after it started', () => {
    const now = at(LOCK_MS);
    given(lockedAccount())
      .when(command.startSignIn({ now }))
      .then([passwordAccepted(now), otpIssued(CHALLENGE.signIn, 'SIGN_IN', now)]);
  });

  it("a lock's failures are spent: after it, counting starts again at 1", () => {
    given(lockedAccount())
      .when(command.startSignIn({ passwordMatches: false, now: at(LOCK_MS) }))
      .then([passwordRejected(1, at(LOCK_MS))], { kind: 'SignInRejected' });
  });

  it('an accepted password resets the count', () => {
    const history = followedBy(
      activeAccount(),
      ...wrongPasswords(FAILURES_BEFORE_LOCK - 1),
      command.startSignIn({ now: at(1) }),
    );
    given(history)
      .when(command.startSignIn({ passwordMatches: false, now: at(2) }))
      .then([passwordRejected(1, at(2))], { kind: 'SignInRejected' });
  });

  it('rate-limited: the password is accepted (recorded) but no code goes out', () => {
    given(activeAccount())
      .when(command.startSignIn({ codeLimit: { allowed: false, retryAfterSeconds: 120 }, now: at(1) }))
      .then([passwordAccepted(at(1))], { kind: 'RateLimited', retryAfterSeconds: 120 });
  });

  it('an identifier without an account goes through the same rule on its attempts stream', () => {
    given(followedBy([], ...wrongPasswords(FAILURES_BEFORE_LOCK - 1)))
      .when(command.startSignIn({ passwordMatches: false, now: at(1) }))
      .then([
        passwordRejected(FAILURES_BEFORE_LOCK, at(1)),
        {
          type: 'AccountLocked',
          data: {
            accountId: ACCOUNT_ID,
            lockedAt: isoAt(1),
            lockedUntil: isoAt(1 + LOCK_MS),
            reason: 'TOO_MANY_WRONG_PASSWORDS',
          },
        },
      ]);
  });

  it('a pending (unconfirmed) account cannot sign in: even the right password counts as a failure', () => {
    given(registeredCitizen())
      .when(command.startSignIn({ passwordMatches: true, now: at(1) }))
      .then([passwordRejected(1, at(1))], { kind: 'SignInRejected' });
  });
});

describe('CompleteSignIn', () => {
  it('the right SIGN_IN code uses the code and starts a session', () => {
    const now = at(CODE_TTL_MS - 1);
    given(signInChallengeOpen())
      .when(command.completeSignIn({ now }))
      .then([otpVerified(CHALLENGE.signIn, now), sessionStarted(SESSION.signIn, now)], {
        kind: 'SessionStarted',
        sessionId: SESSION.signIn,
        expiresAt: sessionStarted(SESSION.signIn, now).data.expiresAt,
      });
  });

  it('grants ADMIN (ADMIN_IDENTIFIERS) the first time a configured admin signs in', () => {
    given(signInChallengeOpen())
      .when(command.completeSignIn({ grantAdmin: true }))
      .then([
        otpVerified(CHALLENGE.signIn, T0),
        sessionStarted(SESSION.signIn, T0),
        {
          type: 'RoleGranted',
          data: {
            accountId: ACCOUNT_ID,
            role: 'ADMIN',
            institution: null,
            reason: 'ADMIN_IDENTIFIERS',
            grantedAt: T0.toISOString(),
          },
        },
      ]);
  });

  it('does not grant ADMIN again to an account that holds it', () => {
    given(signInChallengeOpen(T0, staffAccount('ADMIN')))
      .when(command.completeSignIn({ grantAdmin: true }))
      .then([otpVerified(CHALLENGE.signIn, T0), sessionStarted(SESSION.signIn, T0)]);
  });

  it('a wrong code is counted on the challenge', () => {
    given(signInChallengeOpen())
      .when(command.completeSignIn({ codeHash: WRONG_CODE, now: at(1) }))
      .then([otpRejected(CHALLENGE.signIn, 1, at(1))], {
        kind: 'CodeRejected',
        reason: 'INVALID',
        attemptsLeft: MAX_WRONG_CODES - 1,
      });
  });

  it('a code of another purpose (the registration code) is INVALID here', () => {
    given(signInChallengeOpen())
      .when(command.completeSignIn({ challengeId: CHALLENGE.registration }))
      .thenNothing({ kind: 'CodeRejected', reason: 'INVALID', attemptsLeft: 0 });
  });

  it('while locked the code is not judged (SignInRefused COMPLETE_LOGIN)', () => {
    const history = followedBy(
      signInChallengeOpen(),
      ...wrongPasswords(FAILURES_BEFORE_LOCK, at(1)).map((c) => ({ ...c, challengeId: 'challenge-other' })),
    );
    given(history)
      .when(command.completeSignIn({ now: at(2) }))
      .then(
        [
          {
            type: 'SignInRefused',
            data: {
              accountId: ACCOUNT_ID,
              step: 'COMPLETE_LOGIN',
              reason: 'LOCKED',
              lockedUntil: isoAt(1 + LOCK_MS),
              refusedAt: isoAt(2),
            },
          },
        ],
        { kind: 'Locked', lockedUntil: isoAt(1 + LOCK_MS) },
      );
  });

  it('while locked a challenge id it never issued is INVALID, not Locked (nothing recorded): no account shown', () => {
    const history = followedBy(
      signInChallengeOpen(),
      ...wrongPasswords(FAILURES_BEFORE_LOCK, at(1)).map((c) => ({ ...c, challengeId: 'challenge-other' })),
    );
    for (const challengeId of [`${ACCOUNT_ID}.made-up-random-1`, CHALLENGE.registration])
      given(history)
        .when(command.completeSignIn({ challengeId, now: at(2) }))
        .thenNothing({ kind: 'CodeRejected', reason: 'INVALID', attemptsLeft: 0 });
  });
});
