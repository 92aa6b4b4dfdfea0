/** The account's vocabulary, shared by its events, commands and state. */
export type AccountKind = 'CITIZEN' | 'BUSINESS';
export type Channel = 'SMS' | 'EMAIL';
/** Roles an admin grants; CITIZEN and BUSINESS follow from the account's kind. */
export type GrantableRole = 'HELPDESK' | 'CASEWORKER' | 'AUDITOR' | 'ADMIN';
export const GRANTABLE_ROLES: readonly GrantableRole[] = ['HELPDESK', 'CASEWORKER', 'AUDITOR', 'ADMIN'];
/**
 * What a one-time code opens. Every
 * switch on it ends with a never check, so the compiler lists what a new purpose must handle.
 */
export type CodePurpose =
  | 'REGISTRATION'
  | 'SIGN_IN'
  | 'PASSWORD_CHANGE'
  /** The code that opens a recovery (recoveryId is its challenge id). */
  | 'RECOVERY'
  /** The code after a temporary password: it leads only to PasswordChangeRequired. */
  | 'TEMPORARY_SIGN_IN'
  /** The code sent to new contacts, proving them. */
  | 'CONTACT_CHANGE';
export type SessionEndReason = 'LOGOUT' | 'PASSWORD_CHANGED';
