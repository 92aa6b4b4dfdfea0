import type { DomainEvent } from '../shared/events.js';
import type { ContactEvent } from './contact-events.js';
import type { RecoveryEvent } from './recovery-events.js';
import type { TemporaryPasswordEvent } from './temporary-password-events.js';
import type { AccountKind, Channel, CodePurpose, GrantableRole, SessionEndReason } from './terms.js';

export type * from './contact-events.js';
export type * from './recovery-events.js';
export type * from './temporary-password-events.js';
export * from './terms.js';

/**
 * Events of `account-<id>` streams, and of `attempts-<id>` streams (which only ever hold
 * PasswordRejected, AccountLocked and SignInRefused for identifiers that have no account, and decoy
 * recoveries). Times are ISO strings.
 * Secrets only as hashes: passwords and answers as argon2id, codes as HMAC(keys.codes).
 */
export type AccountRegistered = DomainEvent<
  'AccountRegistered',
  {
    accountId: string;
    kind: AccountKind;
    registeredAt: string;
    passwordHash: string;
    securityAnswerHash: string;
    personal: {
      identifier: string;
      displayName: string;
      email: string;
      phone: string;
      securityQuestion: string;
      /** For a business: the administrator's NID, as the business registry named them. */
      administratorNid?: string;
    };
  }
>;
/** The code sent to both contacts came back: both are proven and the account is usable. */
export type RegistrationConfirmed = DomainEvent<
  'RegistrationConfirmed',
  { accountId: string; challengeId: string; channels: Channel[]; confirmedAt: string }
>;
/** A code was issued (or re-issued for the same challenge, which voids the previous code). */
export type OtpIssued = DomainEvent<
  'OtpIssued',
  {
    accountId: string;
    challengeId: string;
    purpose: CodePurpose;
    codeHash: string;
    channels: Channel[];
    issuedAt: string;
    expiresAt: string;
  }
>;
export type OtpDelivered = DomainEvent<
  'OtpDelivered',
  {
    accountId: string;
    challengeId: string;
    channel: Channel;
    providerId: string;
    attempt: number;
    deliveredAt: string;
  }
>;
export type OtpDeliveryFailed = DomainEvent<
  'OtpDeliveryFailed',
  {
    accountId: string;
    challengeId: string;
    channel: Channel;
    attempt: number;
    retryable: boolean;
    error: string;
    failedAt: string;
  }
>;
export type OtpVerified = DomainEvent<
  'OtpVerified',
  { accountId: string; challengeId: string; verifiedAt: string }
>;
export type OtpRejected = DomainEvent<
  'OtpRejected',
  { accountId: string; challengeId: string; wrongTries: number; rejectedAt: string }
>;
export type PasswordAccepted = DomainEvent<'PasswordAccepted', { accountId: string; acceptedAt: string }>;
export type PasswordRejected = DomainEvent<
  'PasswordRejected',
  { accountId: string; countedFailures: number; rejectedAt: string }
>;
/** Why a lock started. Events recorded before codes could lock carry no reason: those are passwords. */
export type LockReason = 'TOO_MANY_WRONG_PASSWORDS' | 'TOO_MANY_WRONG_CODES';
export type AccountLocked = DomainEvent<
  'AccountLocked',
  { accountId: string; lockedAt: string; lockedUntil: string; reason?: LockReason }
>;
/** Which step of signing in an attempt was refused at. */
export type SignInStep =
  | 'START_LOGIN'
  | 'START_PASSWORD_CHANGE'
  | 'COMPLETE_LOGIN'
  | 'COMPLETE_PASSWORD_CHANGE'
  | 'CONFIRM_REGISTRATION';
/**
 * An attempt refused without being judged: every login attempt is an event (the portal's rule), but one
 * refused during a lock verifies nothing and counts as no failure. Attempts refused by the per-IP rate
 * limit are not recorded (see signInLimit).
 */
export type SignInRefused = DomainEvent<
  'SignInRefused',
  { accountId: string; step: SignInStep; reason: 'LOCKED'; lockedUntil: string; refusedAt: string }
>;
/** The helpdesk ended a lock early. */
export type AccountUnlocked = DomainEvent<
  'AccountUnlocked',
  { accountId: string; reason: string; unlockedAt: string }
>;
export type PasswordChanged = DomainEvent<
  'PasswordChanged',
  { accountId: string; passwordHash: string; changedAt: string }
>;
/** sessionId is the keyed hash of the token; the token itself is never stored. */
export type SessionStarted = DomainEvent<
  'SessionStarted',
  { accountId: string; sessionId: string; startedAt: string; expiresAt: string }
>;
export type SessionEnded = DomainEvent<
  'SessionEnded',
  { accountId: string; sessionId: string; reason: SessionEndReason; endedAt: string }
>;
export type RoleGranted = DomainEvent<
  'RoleGranted',
  { accountId: string; role: GrantableRole; institution: string | null; reason: string; grantedAt: string }
>;
export type RoleRevoked = DomainEvent<
  'RoleRevoked',
  { accountId: string; role: GrantableRole; reason: string; revokedAt: string }
>;

export type AccountEvent =
  | AccountRegistered
  | RegistrationConfirmed
  | OtpIssued
  | OtpDelivered
  | OtpDeliveryFailed
  | OtpVerified
  | OtpRejected
  | PasswordAccepted
  | PasswordRejected
  | AccountLocked
  | SignInRefused
  | AccountUnlocked
  | PasswordChanged
  | SessionStarted
  | SessionEnded
  | RoleGranted
  | RoleRevoked
  | RecoveryEvent
  | TemporaryPasswordEvent
  | ContactEvent;

export type AccountEventType = AccountEvent['type'];
