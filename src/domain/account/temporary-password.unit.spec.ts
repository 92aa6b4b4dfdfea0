import { describe, it } from 'vitest';
import {
  ACCOUNT_ID,
  at,
  BOTH,
  CHALLENGE,
  codeHash,
  command,
  followedBy,
  given,
  HASH,
  isoAt,
  lockedAccount,
  otpIssued,
  otpVerified,
  SESSION,
  sessionStarted,
  T0,
  TEMPORARY_PASSWORD,
  temporaryPasswordAccepted,
  temporaryPasswordIssued,
} from '../../../test/support/account-fixtures.js';
import type { AccountEvent } from './events.js';
import {
  CHANGE_TOKEN_TTL_MS,
  CODE_TTL_MS,
  LOCK_MS,
  MAX_WRONG_TEMPORARY_PASSWORDS,
  TEMPORARY_PASSWORD_TTL_MS,
} from './rules.js';

const TP = TEMPORARY_PASSWORD.temporaryPasswordId;
const TS = CHALLENGE.temporarySignIn;
const withTemporary = (now = T0) =>
  command.startSignIn({
    passwordMatches: false,
    temporaryPasswordHash: HASH.temporaryPassword,
    challengeId: TS,
    codeHash: codeHash(TS),
    now,
  });
const wrongPassword = (now = T0) =>
  command.startSignIn({ passwordMatches: false, temporaryPasswordHash: HASH.wrongTemporaryPassword, now });
const accepted = (now: Date): AccountEvent => ({
  type: 'TemporaryPasswordAccepted',
  data: { accountId: ACCOUNT_ID, temporaryPasswordId: TP, acceptedAt: now.toISOString() },
});
const rejected = (wrongTries: number, now: Date): AccountEvent => ({
  type: 'TemporaryPasswordRejected',
  data: { accountId: ACCOUNT_ID, temporaryPasswordId: TP, wrongTries, rejectedAt: now.toISOString() },
});
const completeTemporary = (now = T0, changeTokenHash: string | null = HASH.changeToken) =>
  command.completeSignIn({
    challengeId: TS,
    codeHash: codeHash(TS),
    now,
    ...(changeTokenHash ? { changeTokenHash } : {}),
  });

describe('StartSignIn with a temporary password outstanding', () => {
  it('the temporary password is accepted and a TEMPORARY_SIGN_IN code goes out', () => {
    given(temporaryPasswordIssued())
      .when(withTemporary(at(1)))
      .then([accepted(at(1)), otpIssued(TS, 'TEMPORARY_SIGN_IN', at(1))], {
        kind: 'CodeSent',
        challengeId: TS,
        channels: BOTH,
        expiresAt: isoAt(1 + CODE_TTL_MS),
      });
  });

  it('it is accepted even during a lock (identity was just proven)', () => {
    given(temporaryPasswordIssued('SECURITY_ANSWER', at(1), lockedAccount()))
      .when(withTemporary(at(2)))
      .then([accepted(at(2)), otpIssued(TS, 'TEMPORARY_SIGN_IN', at(2))]);
  });

  it('rate-limited: nothing is recorded and no code goes out', () => {
    given(temporaryPasswordIssued())
      .when({ ...withTemporary(at(1)), codeLimit: { allowed: false, retryAfterSeconds: 60 } })
      .thenNothing({ kind: 'RateLimited', retryAfterSeconds: 60 });
  });

  it('a wrong password counts against it and then against the three-strikes rule', () => {
    given(temporaryPasswordIssued())
      .when(wrongPassword(at(1)))
      .then(
        [
          rejected(1, at(1)),
          {
            type: 'PasswordRejected',
            data: { accountId: ACCOUNT_ID, countedFailures: 1, rejectedAt: isoAt(1) },
          },
        ],
        { kind: 'SignInRejected' },
      );
  });

  it('the MAX_WRONG_TEMPORARY_PASSWORDS-th wrong password voids it (counted on, even during the lock)', () => {
    const history = followedBy(
      temporaryPasswordIssued(),
      ...Array.from({ length: MAX_WRONG_TEMPORARY_PASSWORDS - 1 }, () => wrongPassword()),
    );
    given(history)
      .when(wrongPassword(at(1)))
      .then(
        [
          rejected(MAX_WRONG_TEMPORARY_PASSWORDS, at(1)),
          {
            type: 'TemporaryPasswordVoided',
            data: {
              accountId: ACCOUNT_ID,
              temporaryPasswordId: TP,
              reason: 'TOO_MANY_WRONG_PASSWORDS',
              voidedAt: isoAt(1),
            },
          },
          {
            type: 'SignInRefused',
            data: {
              accountId: ACCOUNT_ID,
              step: 'START_LOGIN',
              reason: 'LOCKED',
              lockedUntil: isoAt(LOCK_MS),
              refusedAt: isoAt(1),
            },
          },
        ],
        { kind: 'Locked', lockedUntil: isoAt(LOCK_MS) },
      );
  });

  it('a voided temporary password is no longer accepted: the ordinary rule answers', () => {
    const history = followedBy(
      temporaryPasswordIssued(),
      ...Array.from({ length: MAX_WRONG_TEMPORARY_PASSWORDS }, () => wrongPassword()),
    );
    given(history)
      .when(withTemporary(at(LOCK_MS)))
      .then([
        {
          type: 'PasswordRejected',
          data: { accountId: ACCOUNT_ID, countedFailures: 1, rejectedAt: isoAt(LOCK_MS) },
        },
      ]);
  });

  it('expires TEMPORARY_PASSWORD_TTL_MS after it was issued: typing it is an ordinary wrong password', () => {
    given(temporaryPasswordIssued())
      .when(withTemporary(at(TEMPORARY_PASSWORD_TTL_MS)))
      .then(
        [
          {
            type: 'PasswordRejected',
            data: { accountId: ACCOUNT_ID, countedFailures: 1, rejectedAt: isoAt(TEMPORARY_PASSWORD_TTL_MS) },
          },
        ],
        { kind: 'SignInRejected' },
      );
  });

  it('the real password still signs in as usual, nothing counted against the temporary one', () => {
    given(temporaryPasswordIssued())
      .when(
        command.startSignIn({
          passwordMatches: true,
          temporaryPasswordHash: HASH.wrongTemporaryPassword,
          now: at(1),
        }),
      )
      .then([
        { type: 'PasswordAccepted', data: { accountId: ACCOUNT_ID, acceptedAt: isoAt(1) } },
        otpIssued(CHALLENGE.signIn, 'SIGN_IN', at(1)),
      ]);
  });

  it('does not apply to a password change (purpose PASSWORD_CHANGE)', () => {
    given(temporaryPasswordIssued())
      .when({ ...withTemporary(at(1)), purpose: 'PASSWORD_CHANGE' })
      .then([
        {
          type: 'PasswordRejected',
          data: { accountId: ACCOUNT_ID, countedFailures: 1, rejectedAt: isoAt(1) },
        },
      ]);
  });
});

describe('CompleteSignIn with the TEMPORARY_SIGN_IN code', () => {
  const authorised = (now: Date, requiresSecurityQuestion: boolean): AccountEvent[] => [
    otpVerified(TS, now),
    {
      type: 'TemporaryPasswordUsed',
      data: { accountId: ACCOUNT_ID, temporaryPasswordId: TP, usedAt: now.toISOString() },
    },
    {
      type: 'PasswordChangeAuthorised',
      data: {
        accountId: ACCOUNT_ID,
        changeTokenHash: HASH.changeToken,
        requiresSecurityQuestion,
        authorisedAt: now.toISOString(),
        expiresAt: new Date(now.getTime() + CHANGE_TOKEN_TTL_MS).toISOString(),
      },
    },
  ];

  it('spends the temporary password and authorises one change (CHANGE_TOKEN_TTL_MS): PasswordChangeRequired, no session', () => {
    given(temporaryPasswordAccepted())
      .when(completeTemporary(at(1)))
      .then(authorised(at(1), false), {
        kind: 'PasswordChangeRequired',
        expiresAt: isoAt(1 + CHANGE_TOKEN_TTL_MS),
        requiresSecurityQuestion: false,
      });
  });

  it('after the e-mail branch the change requires a new security question', () => {
    given(temporaryPasswordAccepted('EMAIL'))
      .when(completeTemporary(at(1)))
      .then(authorised(at(1), true), {
        kind: 'PasswordChangeRequired',
        expiresAt: isoAt(1 + CHANGE_TOKEN_TTL_MS),
        requiresSecurityQuestion: true,
      });
  });

  it('is not stopped by a lock', () => {
    given(temporaryPasswordAccepted('SECURITY_ANSWER', at(1), lockedAccount()))
      .when(completeTemporary(at(2)))
      .then(authorised(at(2), false));
  });

  it('without a change token hash the code is not spent: EXPIRED', () => {
    given(temporaryPasswordAccepted())
      .when(completeTemporary(at(1), null))
      .thenNothing({ kind: 'CodeRejected', reason: 'EXPIRED', attemptsLeft: 0 });
  });

  it('a wrong code is counted on its challenge', () => {
    given(temporaryPasswordAccepted())
      .when({ ...completeTemporary(at(1)), codeHash: 'hmac-code-wrong' })
      .then([
        {
          type: 'OtpRejected',
          data: { accountId: ACCOUNT_ID, challengeId: TS, wrongTries: 1, rejectedAt: isoAt(1) },
        },
      ]);
  });
});

describe('CompleteSignIn with the real password and its code', () => {
  it('voids an outstanding temporary password (SIGNED_IN_WITH_PASSWORD)', () => {
    const history = followedBy(temporaryPasswordIssued(), command.startSignIn({ now: at(1) }));
    given(history)
      .when(command.completeSignIn({ now: at(2) }))
      .then([
        otpVerified(CHALLENGE.signIn, at(2)),
        {
          type: 'TemporaryPasswordVoided',
          data: {
            accountId: ACCOUNT_ID,
            temporaryPasswordId: TP,
            reason: 'SIGNED_IN_WITH_PASSWORD',
            voidedAt: isoAt(2),
          },
        },
        sessionStarted(SESSION.signIn, at(2)),
      ]);
  });

  it('leaves alone a temporary password that was already spent', () => {
    const history = followedBy(
      temporaryPasswordIssued(),
      ...Array.from({ length: MAX_WRONG_TEMPORARY_PASSWORDS }, () => wrongPassword()),
      command.startSignIn({ now: at(LOCK_MS) }),
    );
    given(history)
      .when(command.completeSignIn({ now: at(LOCK_MS) }))
      .then([otpVerified(CHALLENGE.signIn, at(LOCK_MS)), sessionStarted(SESSION.signIn, at(LOCK_MS))]);
  });
});
