import type { DomainEvent } from '../shared/events.js';
import type { Channel } from './terms.js';

/** A temporary password's life, from recovery or the helpdesk to the change token. Secrets only as HMAC. */

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

export type TemporaryPasswordEvent =
  | TemporaryPasswordIssued
  | TemporaryPasswordAccepted
  | TemporaryPasswordRejected
  | TemporaryPasswordVoided
  | TemporaryPasswordUsed
  | PasswordChangeAuthorised;
