/** Recovery's rules, from the portal's help page and issue #4; every window is read on the server clock. */
/** A recovery must be finished (code, then answer or e-mail) this long after it started. */
export const RECOVERY_TTL_MS = 30 * 60_000;
/** Wrong security answers and wrong e-mails, counted together, that end a recovery. */
export const MAX_WRONG_RECOVERY_ANSWERS = 3;
/** A temporary password is valid once, for this long... */
export const TEMPORARY_PASSWORD_TTL_MS = 24 * 3600_000;
/** ...and dies at this many wrong passwords typed while it is outstanding. */
export const MAX_WRONG_TEMPORARY_PASSWORDS = 5;
/** The change token after a temporary password and its code: single use, short-lived. */
export const CHANGE_TOKEN_TTL_MS = 15 * 60_000;
/**
 * A contact change needs a recent authentication: the caller's session must have started (with a
 * password and a code) at most this long ago, so a stolen or forgotten-open session cannot redirect
 * the account's contacts.
 */
export const REAUTHENTICATION_MS = 15 * 60_000;
/**
 * After a contact change that replaced the e-mail, the "forgot the security question" branch (which
 * trusts whoever can name the e-mail) is closed this long, so a new address cannot be used at once to
 * take the account; the owner was told at the start of the change and has this long to react.
 */
export const EMAIL_BRANCH_PAUSE_MS = 7 * 24 * 3600_000;
/** A helpdesk action's reason (regeneratePassword, unlockAccount) must say at least this much. */
export const MIN_STAFF_REASON_LENGTH = 10;
