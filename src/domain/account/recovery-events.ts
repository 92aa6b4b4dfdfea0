import type { DomainEvent } from '../shared/events.js';
import type { Channel } from './events.js';

/**
 * Events of recovery, temporary passwords, contact changes and the helpdesk (issue #4), on the same
 * `account-<id>` stream as sign-in: a temporary password must be judged together with the lock and the
 * failures, so they share one fold. Recoveries for identifiers without an account (decoys, so recovery
 * reveals nothing) live on the `attempts-<id>` stream and never get past their code.
 * Secrets only as hashes: temporary passwords and change tokens as HMAC, answers as argon2id.
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

export type TemporaryPasswordVia = 'SECURITY_ANSWER' | 'EMAIL' | 'HELPDESK';

/** A 6-digit one-use password; its hash is an HMAC bound to temporaryPasswordId. Replaces any earlier one. */
export type TemporaryPasswordIssued = DomainEvent<
  'TemporaryPasswordIssued',
  {
    accountId: string;
    temporaryPasswordId: string;
    recoveryId: string | null;
    via: TemporaryPasswordVia;
    passwordHash: string;
    requiresSecurityQuestion: boolean;
    channels: Channel[];
    issuedAt: string;
    expiresAt: string;
    /** HELPDESK only: why, as the staff member gave it. */
    reason?: string;
  }
>;
/** The temporary password was typed at startLogin: a code of purpose TEMPORARY_SIGN_IN follows. */
export type TemporaryPasswordAccepted = DomainEvent<
  'TemporaryPasswordAccepted',
  { accountId: string; temporaryPasswordId: string; acceptedAt: string }
>;
/** A wrong password while a temporary one is outstanding counts against it. */
export type TemporaryPasswordRejected = DomainEvent<
  'TemporaryPasswordRejected',
  { accountId: string; temporaryPasswordId: string; wrongTries: number; rejectedAt: string }
>;
/** Void after 5 wrong passwords, or once the owner signed in with the real password and a code. */
export type TemporaryPasswordVoided = DomainEvent<
  'TemporaryPasswordVoided',
  {
    accountId: string;
    temporaryPasswordId: string;
    reason: 'TOO_MANY_WRONG_PASSWORDS' | 'SIGNED_IN_WITH_PASSWORD';
    voidedAt: string;
  }
>;
/** Its code came back: the one use is spent, and a change token is handed out. */
export type TemporaryPasswordUsed = DomainEvent<
  'TemporaryPasswordUsed',
  { accountId: string; temporaryPasswordId: string; usedAt: string }
>;
/** changeTokenHash: HMAC(keys.tokens) of the token the person holds; single use, short-lived. */
export type PasswordChangeAuthorised = DomainEvent<
  'PasswordChangeAuthorised',
  {
    accountId: string;
    changeTokenHash: string;
    requiresSecurityQuestion: boolean;
    authorisedAt: string;
    expiresAt: string;
  }
>;
export type SecurityQuestionSet = DomainEvent<
  'SecurityQuestionSet',
  { accountId: string; securityAnswerHash: string; setAt: string; personal: { securityQuestion: string } }
>;
export type ContactChangeStarted = DomainEvent<
  'ContactChangeStarted',
  {
    accountId: string;
    challengeId: string;
    startedAt: string;
    personal: { email?: string; phone?: string };
  }
>;
/** By the person (challengeId of the code that proved the new contacts) or by the helpdesk (reason). */
export type ContactChanged = DomainEvent<
  'ContactChanged',
  {
    accountId: string;
    challengeId: string | null;
    reason?: string;
    changedAt: string;
    personal: { email?: string; phone?: string };
  }
>;

export type RecoveryEvent =
  | RecoveryStarted
  | RecoveryCodeVerified
  | SecurityAnswerAccepted
  | SecurityAnswerRejected
  | RecoveryEmailConfirmed
  | RecoveryEmailRejected
  | RecoveryFailed
  | TemporaryPasswordIssued
  | TemporaryPasswordAccepted
  | TemporaryPasswordRejected
  | TemporaryPasswordVoided
  | TemporaryPasswordUsed
  | PasswordChangeAuthorised
  | SecurityQuestionSet
  | ContactChangeStarted
  | ContactChanged;
