import type { AccountKind, GrantableRole, SessionEndReason } from './terms.js';

/** Whether the per-account and per-destination sending budgets let one more code or password go out. */
export type CodeLimit = { allowed: true } | { allowed: false; retryAfterSeconds: number };
/** Made by the handler: a fresh id and the HMAC of the 6 digits bound to it. */
export interface FreshTemporaryPassword {
  temporaryPasswordId: string;
  passwordHash: string;
}
export interface NewContacts {
  email?: string;
  phone?: string;
}

/**
 * The account's commands. The handler does the impure work first (argon2, the code's HMAC, fresh ids,
 * the clock, rate limits) and passes the results in; deciding is then a pure function of the stream.
 */
export type AccountCommand =
  | {
      type: 'RegisterAccount';
      accountId: string;
      kind: AccountKind;
      identifier: string;
      displayName: string;
      email: string;
      phone: string;
      securityQuestion: string;
      administratorNid?: string;
      passwordHash: string;
      securityAnswerHash: string;
      challengeId: string;
      codeHash: string;
      now: Date;
    }
  | {
      type: 'ConfirmRegistration';
      challengeId: string;
      codeHash: string;
      sessionId: string;
      grantAdmin: boolean;
      now: Date;
    }
  | {
      type: 'StartSignIn';
      accountId: string;
      purpose: 'SIGN_IN' | 'PASSWORD_CHANGE';
      /** The argon2 verdict; false when nothing was verified (unknown identifier, a lock). */
      passwordMatches: boolean;
      /** Whether the per-account and per-destination code limits let one more code go out. */
      codeLimit: { allowed: true } | { allowed: false; retryAfterSeconds: number };
      challengeId: string;
      codeHash: string;
      /** HMAC of the typed password bound to the outstanding temporary password (absent when none is outstanding). */
      temporaryPasswordHash?: string;
      now: Date;
    }
  | {
      type: 'CompleteSignIn';
      challengeId: string;
      codeHash: string;
      sessionId: string;
      grantAdmin: boolean;
      /** Hash of the change token handed out when the code follows a temporary password (TEMPORARY_SIGN_IN). */
      changeTokenHash?: string;
      now: Date;
    }
  | { type: 'ResendCode'; challengeId: string; codeHash: string; now: Date }
  | { type: 'EndSession'; sessionId: string; reason: SessionEndReason; now: Date }
  | {
      type: 'ChangePassword';
      challengeId: string;
      codeHash: string;
      /** Null when the handler saw the code would be refused: it hashes nothing for a refusal. */
      passwordHash: string | null;
      keepSessionId: string;
      now: Date;
    }
  | { type: 'GrantRole'; role: GrantableRole; institution: string | null; reason: string; now: Date }
  | { type: 'RevokeRole'; role: GrantableRole; reason: string; now: Date }
  | { type: 'StartRecovery'; accountId: string; recoveryId: string; codeHash: string; now: Date }
  | { type: 'VerifyRecoveryCode'; recoveryId: string; codeHash: string; now: Date }
  | {
      type: 'AnswerSecurityQuestion';
      recoveryId: string;
      /** The argon2 verdict on the normalised answer; false when nothing could be verified. */
      answerMatches: boolean;
      temporaryPassword: FreshTemporaryPassword;
      codeLimit: CodeLimit;
      now: Date;
    }
  | {
      type: 'ConfirmRecoveryEmail';
      recoveryId: string;
      email: string;
      temporaryPassword: FreshTemporaryPassword;
      codeLimit: CodeLimit;
      now: Date;
    }
  | {
      type: 'SetNewPassword';
      changeTokenHash: string;
      passwordHash: string;
      security: { question: string; answerHash: string } | null;
      sessionId: string;
      grantAdmin: boolean;
      now: Date;
    }
  | {
      type: 'RegeneratePassword';
      /** The staff member acting: their own account is never a target. */
      staffAccountId: string;
      /** Whether ADMIN_IDENTIFIERS lists the target (an admin even before the role was recorded). */
      targetIsConfiguredAdmin: boolean;
      temporaryPassword: FreshTemporaryPassword;
      newContacts: NewContacts | null;
      reason: string;
      codeLimit: CodeLimit;
      now: Date;
    }
  | {
      type: 'UnlockAccount';
      reason: string;
      /** The staff member unlocking, and whether they act as ADMIN (who alone may unlock staff). */
      staffAccountId: string;
      byAdmin: boolean;
      /** The account's identifier is in ADMIN_IDENTIFIERS: staff, even before its first sign-in. */
      targetIsConfiguredAdmin: boolean;
      now: Date;
    }
  | {
      type: 'StartContactChange';
      /** The caller's session (keyed hash of its token): it must have started recently. */
      sessionId: string;
      challengeId: string;
      codeHash: string;
      newContacts: NewContacts;
      now: Date;
    }
  | { type: 'CompleteContactChange'; challengeId: string; codeHash: string; now: Date };
