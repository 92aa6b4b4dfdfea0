import type { DomainEvent } from '../shared/events.js';

/**
 * Recovery's events, on the same `account-<id>` stream as sign-in: a temporary password must be judged
 * together with the lock and the failures, so they share one fold. Recoveries for identifiers without
 * an account (decoys, so recovery reveals nothing) live on the `attempts-<id>` stream and never get past
 * their code. Answers only as argon2id hashes.
 */

/** recoveryId is the challenge id of its code: a newer recovery voids the older one's code. */
export type RecoveryStarted = DomainEvent<
  'RecoveryStarted',
  { accountId: string; recoveryId: string; startedAt: string; expiresAt: string }
>;
export type RecoveryCodeVerified = DomainEvent<
  'RecoveryCodeVerified',
  { accountId: string; recoveryId: string; verifiedAt: string }
>;
export type SecurityAnswerAccepted = DomainEvent<
  'SecurityAnswerAccepted',
  { accountId: string; recoveryId: string; acceptedAt: string }
>;
/** wrongAttempts counts wrong answers and wrong e-mails of this recovery together. */
export type SecurityAnswerRejected = DomainEvent<
  'SecurityAnswerRejected',
  { accountId: string; recoveryId: string; wrongAttempts: number; rejectedAt: string }
>;
export type RecoveryEmailConfirmed = DomainEvent<
  'RecoveryEmailConfirmed',
  { accountId: string; recoveryId: string; confirmedAt: string }
>;
export type RecoveryEmailRejected = DomainEvent<
  'RecoveryEmailRejected',
  { accountId: string; recoveryId: string; wrongAttempts: number; rejectedAt: string }
>;
/** The third wrong answer or e-mail ends the recovery; a new one needs a new code. */
export type RecoveryFailed = DomainEvent<
  'RecoveryFailed',
  { accountId: string; recoveryId: string; reason: 'TOO_MANY_WRONG_ANSWERS'; failedAt: string }
>;
export type SecurityQuestionSet = DomainEvent<
  'SecurityQuestionSet',
  { accountId: string; securityAnswerHash: string; setAt: string; personal: { securityQuestion: string } }
>;

export type RecoveryEvent =
  | RecoveryStarted
  | RecoveryCodeVerified
  | SecurityAnswerAccepted
  | SecurityAnswerRejected
  | RecoveryEmailConfirmed
  | RecoveryEmailRejected
  | RecoveryFailed
  | SecurityQuestionSet;
