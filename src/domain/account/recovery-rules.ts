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
