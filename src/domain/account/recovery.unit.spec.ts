import { describe, it } from 'vitest';
import {
  ACCOUNT_ID,
  activeAccount,
  at,
  CHALLENGE,
  command,
  followedBy,
  given,
  isoAt,
  lockedAccount,
  NEW_EMAIL,
  otpIssued,
  otpRejected,
  otpVerified,
  PERSON,
  REASON,
  recoveryCodeVerified,
  recoveryStarted,
  T0,
  TEMPORARY_PASSWORD,
  temporaryPasswordIssued,
  WRONG_CODE,
} from '../../../test/support/account-fixtures.js';
import type { AccountEvent, TemporaryPasswordVia } from './events.js';
import {
  EMAIL_BRANCH_PAUSE_MS,
  MAX_WRONG_CODES,
  MAX_WRONG_RECOVERY_ANSWERS,
  RECOVERY_TTL_MS,
  TEMPORARY_PASSWORD_TTL_MS,
} from './rules.js';

const R = CHALLENGE.recovery;
const issued = (via: TemporaryPasswordVia, now: Date): AccountEvent => ({
  type: 'TemporaryPasswordIssued',
  data: {
    accountId: ACCOUNT_ID,
    temporaryPasswordId: TEMPORARY_PASSWORD.temporaryPasswordId,
    recoveryId: R,
    via,
    passwordHash: TEMPORARY_PASSWORD.passwordHash,
    requiresSecurityQuestion: via === 'EMAIL',
    channels: ['SMS', 'EMAIL'],
    issuedAt: now.toISOString(),
    expiresAt: new Date(now.getTime() + TEMPORARY_PASSWORD_TTL_MS).toISOString(),
  },
});
const answerRejected = (wrongAttempts: number, now: Date): AccountEvent => ({
  type: 'SecurityAnswerRejected',
  data: { accountId: ACCOUNT_ID, recoveryId: R, wrongAttempts, rejectedAt: now.toISOString() },
});
const emailRejected = (wrongAttempts: number, now: Date): AccountEvent => ({
  type: 'RecoveryEmailRejected',
  data: { accountId: ACCOUNT_ID, recoveryId: R, wrongAttempts, rejectedAt: now.toISOString() },
});
const failed = (now: Date): AccountEvent => ({
  type: 'RecoveryFailed',
  data: {
    accountId: ACCOUNT_ID,
    recoveryId: R,
    reason: 'TOO_MANY_WRONG_ANSWERS',
    failedAt: now.toISOString(),
  },
});
const wrongAnswers = (n: number, now = T0) =>
  Array.from({ length: n }, () => command.answerSecurityQuestion({ answerMatches: false, now }));
const nextTemporary = {
  kind: 'RecoveryStep',
  recoveryId: R,
  next: 'SIGN_IN_WITH_TEMPORARY_PASSWORD',
  securityQuestion: null,
} as const;

describe('StartRecovery', () => {
  const started = (now: Date): AccountEvent => ({
    type: 'RecoveryStarted',
    data: {
      accountId: ACCOUNT_ID,
      recoveryId: R,
      startedAt: now.toISOString(),
      expiresAt: new Date(now.getTime() + RECOVERY_TTL_MS).toISOString(),
    },
  });

  it('starts a recovery (RECOVERY_TTL_MS) and sends a RECOVERY code whose challenge id is the recovery id', () => {
    given(activeAccount())
      .when(command.startRecovery({ now: at(1) }))
      .then([started(at(1)), otpIssued(R, 'RECOVERY', at(1))], {
        kind: 'RecoveryStep',
        recoveryId: R,
        next: 'ENTER_CODE',
        securityQuestion: null,
      });
  });

  it('stays open during a lock', () => {
    given(lockedAccount())
      .when(command.startRecovery({ now: at(1) }))
      .then([started(at(1)), otpIssued(R, 'RECOVERY', at(1))]);
  });

  it('answers the same for an identifier without an account (a decoy on the attempts stream)', () => {
    given([])
      .when(command.startRecovery({ now: at(1) }))
      .then([started(at(1)), otpIssued(R, 'RECOVERY', at(1))]);
  });
});

describe('VerifyRecoveryCode', () => {
  it('the right code leads to the security question', () => {
    given(recoveryStarted())
      .when(command.verifyRecoveryCode({ now: at(1) }))
      .then(
        [
          otpVerified(R, at(1)),
          {
            type: 'RecoveryCodeVerified',
            data: { accountId: ACCOUNT_ID, recoveryId: R, verifiedAt: isoAt(1) },
          },
        ],
        {
          kind: 'RecoveryStep',
          recoveryId: R,
          next: 'ANSWER_SECURITY_QUESTION',
          securityQuestion: PERSON.securityQuestion,
        },
      );
  });

  it('works during a lock', () => {
    given(recoveryStarted(at(1), lockedAccount()))
      .when(command.verifyRecoveryCode({ now: at(2) }))
      .then([
        otpVerified(R, at(2)),
        {
          type: 'RecoveryCodeVerified',
          data: { accountId: ACCOUNT_ID, recoveryId: R, verifiedAt: isoAt(2) },
        },
      ]);
  });

  it('a wrong code is counted on the challenge', () => {
    given(recoveryStarted())
      .when(command.verifyRecoveryCode({ codeHash: WRONG_CODE, now: at(1) }))
      .then([otpRejected(R, 1, at(1))], {
        kind: 'CodeRejected',
        reason: 'INVALID',
        attemptsLeft: MAX_WRONG_CODES - 1,
      });
  });

  it("an older recovery's code is EXPIRED once a newer recovery started", () => {
    given(followedBy(recoveryStarted(), command.startRecovery({ recoveryId: 'recovery-2', now: at(1) })))
      .when(command.verifyRecoveryCode({ now: at(2) }))
      .thenNothing({ kind: 'CodeRejected', reason: 'EXPIRED', attemptsLeft: 0 });
  });

  it('an unknown recovery is INVALID', () => {
    given(recoveryStarted())
      .when(command.verifyRecoveryCode({ recoveryId: 'recovery-unknown' }))
      .thenNothing({ kind: 'CodeRejected', reason: 'INVALID', attemptsLeft: 0 });
  });

  it("a decoy's code opens nothing, even guessed right: INVALID", () => {
    given(followedBy([], command.startRecovery()))
      .when(command.verifyRecoveryCode({ now: at(1) }))
      .thenNothing({ kind: 'CodeRejected', reason: 'INVALID', attemptsLeft: 0 });
  });
});

describe('AnswerSecurityQuestion', () => {
  it('the right answer issues a temporary password (via SECURITY_ANSWER, TEMPORARY_PASSWORD_TTL_MS)', () => {
    given(recoveryCodeVerified())
      .when(command.answerSecurityQuestion({ now: at(1) }))
      .then(
        [
          {
            type: 'SecurityAnswerAccepted',
            data: { accountId: ACCOUNT_ID, recoveryId: R, acceptedAt: isoAt(1) },
          },
          issued('SECURITY_ANSWER', at(1)),
        ],
        nextTemporary,
      );
  });

  it('a wrong answer is counted: MAX_WRONG_RECOVERY_ANSWERS - 1 left', () => {
    given(recoveryCodeVerified())
      .when(command.answerSecurityQuestion({ answerMatches: false, now: at(1) }))
      .then([answerRejected(1, at(1))], {
        kind: 'AnswerRejected',
        attemptsLeft: MAX_WRONG_RECOVERY_ANSWERS - 1,
      });
  });

  it('the MAX_WRONG_RECOVERY_ANSWERS-th wrong answer ends the recovery (RecoveryFailed)', () => {
    given(followedBy(recoveryCodeVerified(), ...wrongAnswers(MAX_WRONG_RECOVERY_ANSWERS - 1)))
      .when(command.answerSecurityQuestion({ answerMatches: false, now: at(1) }))
      .then([answerRejected(MAX_WRONG_RECOVERY_ANSWERS, at(1)), failed(at(1))], {
        kind: 'AnswerRejected',
        attemptsLeft: 0,
      });
  });

  it('a failed recovery takes no more answers, even the right one', () => {
    given(followedBy(recoveryCodeVerified(), ...wrongAnswers(MAX_WRONG_RECOVERY_ANSWERS)))
      .when(command.answerSecurityQuestion({ now: at(1) }))
      .thenNothing({ kind: 'AnswerRejected', attemptsLeft: 0 });
  });

  it('before the code was verified the answer is INVALID', () => {
    given(recoveryStarted())
      .when(command.answerSecurityQuestion())
      .thenNothing({ kind: 'CodeRejected', reason: 'INVALID', attemptsLeft: 0 });
  });

  it('a recovery must be finished within RECOVERY_TTL_MS: EXPIRED', () => {
    given(recoveryCodeVerified())
      .when(command.answerSecurityQuestion({ now: at(RECOVERY_TTL_MS) }))
      .thenNothing({ kind: 'CodeRejected', reason: 'EXPIRED', attemptsLeft: 0 });
  });

  it('a recovery gives one temporary password: then ALREADY_USED', () => {
    given(temporaryPasswordIssued())
      .when(command.answerSecurityQuestion({ now: at(1) }))
      .thenNothing({ kind: 'CodeRejected', reason: 'ALREADY_USED', attemptsLeft: 0 });
  });

  it('rate-limited: the right answer is not recorded and nothing goes out', () => {
    given(recoveryCodeVerified())
      .when(command.answerSecurityQuestion({ codeLimit: { allowed: false, retryAfterSeconds: 600 } }))
      .thenNothing({ kind: 'RateLimited', retryAfterSeconds: 600 });
  });

  it('works during a lock (recovery stays open)', () => {
    given(recoveryCodeVerified(at(1), lockedAccount()))
      .when(command.answerSecurityQuestion({ now: at(2) }))
      .then(
        [
          {
            type: 'SecurityAnswerAccepted',
            data: { accountId: ACCOUNT_ID, recoveryId: R, acceptedAt: isoAt(2) },
          },
          issued('SECURITY_ANSWER', at(2)),
        ],
        nextTemporary,
      );
  });
});

describe('ConfirmRecoveryEmail', () => {
  const confirmed = (now: Date): AccountEvent => ({
    type: 'RecoveryEmailConfirmed',
    data: { accountId: ACCOUNT_ID, recoveryId: R, confirmedAt: now.toISOString() },
  });

  it("the account's e-mail issues a temporary password (via EMAIL) that requires a new security question", () => {
    given(recoveryCodeVerified())
      .when(command.confirmRecoveryEmail({ now: at(1) }))
      .then([confirmed(at(1)), issued('EMAIL', at(1))], nextTemporary);
  });

  it('the e-mail is compared case-insensitively and without surrounding spaces', () => {
    given(recoveryCodeVerified())
      .when(command.confirmRecoveryEmail({ email: `  ${PERSON.email.toUpperCase()} `, now: at(1) }))
      .then([confirmed(at(1)), issued('EMAIL', at(1))]);
  });

  it('a wrong e-mail is counted: EmailRejected, MAX_WRONG_RECOVERY_ANSWERS - 1 left', () => {
    given(recoveryCodeVerified())
      .when(command.confirmRecoveryEmail({ email: 'someone@example.al', now: at(1) }))
      .then([emailRejected(1, at(1))], {
        kind: 'EmailRejected',
        attemptsLeft: MAX_WRONG_RECOVERY_ANSWERS - 1,
      });
  });

  it('wrong answers and wrong e-mails count together toward MAX_WRONG_RECOVERY_ANSWERS', () => {
    given(followedBy(recoveryCodeVerified(), ...wrongAnswers(MAX_WRONG_RECOVERY_ANSWERS - 1)))
      .when(command.confirmRecoveryEmail({ email: 'someone@example.al', now: at(1) }))
      .then([emailRejected(MAX_WRONG_RECOVERY_ANSWERS, at(1)), failed(at(1))], {
        kind: 'EmailRejected',
        attemptsLeft: 0,
      });
  });

  describe('after an e-mail change', () => {
    const changedByHelpdesk = followedBy(
      activeAccount(),
      command.regeneratePassword({
        newContacts: { email: NEW_EMAIL },
        reason: REASON,
        temporaryPassword: { temporaryPasswordId: 'temporary-helpdesk', passwordHash: 'h' },
      }),
    );

    it('the right (new) e-mail is refused as a wrong e-mail within EMAIL_BRANCH_PAUSE_MS, and counted', () => {
      const now = at(EMAIL_BRANCH_PAUSE_MS - 1);
      given(recoveryCodeVerified(now, changedByHelpdesk))
        .when(command.confirmRecoveryEmail({ email: NEW_EMAIL, now }))
        .then([emailRejected(1, now)], {
          kind: 'EmailRejected',
          attemptsLeft: MAX_WRONG_RECOVERY_ANSWERS - 1,
        });
    });

    it('the e-mail branch opens again EMAIL_BRANCH_PAUSE_MS after the change', () => {
      const now = at(EMAIL_BRANCH_PAUSE_MS);
      given(recoveryCodeVerified(now, changedByHelpdesk))
        .when(command.confirmRecoveryEmail({ email: NEW_EMAIL, now }))
        .then([confirmed(now), issued('EMAIL', now)], nextTemporary);
    });
  });

  it('works during a lock (recovery stays open)', () => {
    given(recoveryCodeVerified(at(1), lockedAccount()))
      .when(command.confirmRecoveryEmail({ now: at(2) }))
      .then([confirmed(at(2)), issued('EMAIL', at(2))], nextTemporary);
  });
});
