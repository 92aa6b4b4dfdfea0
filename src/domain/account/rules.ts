/** The account's rules, from the portal's help page; every window is read on the server clock. */
export const CODE_DIGITS = 6;
/** A one-time code is valid this long after it was issued. */
export const CODE_TTL_MS = 10 * 60_000;
/** Wrong tries a code survives; the fifth kills it (TOO_MANY_ATTEMPTS). */
export const MAX_WRONG_CODES = 5;
/** The third counted wrong password locks the account... */
export const FAILURES_BEFORE_LOCK = 3;
/** ...until exactly three hours after that failure. */
export const LOCK_MS = 3 * 3600_000;
/** A session ends after this long without a request... */
export const SESSION_IDLE_MS = 30 * 60_000;
/** ...and at the latest this long after it started. */
export const SESSION_ABSOLUTE_MS = 12 * 3600_000;
/** How many challenges the fold keeps per account: older ones answer INVALID, which is still safe. */
export const CHALLENGES_KEPT = 20;
/**
 * Wrong sign-in codes, over all challenges, that lock the account for LOCK_MS when they fall within one
 * WRONG_CODES_WINDOW_MS. Five tries a code and ten codes an hour would give someone holding the password
 * about 1,100 guesses a day; with this rule they get ten, then one each time a lock ends, until older
 * ones leave the window (at most 18 in any 24 hours). A person mistyping ten codes in a day is rare, and
 * three wrong passwords lock the same way anyway.
 */
export const WRONG_CODES_BEFORE_LOCK = 10;
export const WRONG_CODES_WINDOW_MS = 24 * 3600_000;

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
/**
 * argon2 runs (password checks and new-password hashes) a signed-in caller may cause on their own
 * account in an hour: starting and completing password changes. Each costs 19 MiB and tens of
 * milliseconds of a pool thread; a person changes their password a few times a year.
 */
export const PASSWORD_WORK_PER_ACCOUNT_PER_HOUR = 10;
export const PASSWORD_WORK_WINDOW_MS = 3600_000;
