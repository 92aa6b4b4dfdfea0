/** The portal's sign-in rules, from its help page and the issue; every window is read on the server clock. */
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
