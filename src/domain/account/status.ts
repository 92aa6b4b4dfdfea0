import { FAILURES_BEFORE_LOCK } from './rules.js';
import { type AccountState, activeLock } from './state.js';

/** What the helpdesk and auditors see of an account at one instant. */
export interface AccountStatusAt {
  locked: boolean;
  lockedUntil: string | null;
  /** Wrong passwords counted toward the current lock window; while locked, the ones that caused it. */
  failedPasswordAttempts: number;
  lastSignInAt: string | null;
}

/** The status of a fold at `at`: a lock ends by itself, so the instant matters as much as the events. */
export function accountStatusAt(state: AccountState, at: Date): AccountStatusAt {
  const lockedUntil = activeLock(state, at);
  return {
    locked: lockedUntil !== null,
    lockedUntil,
    failedPasswordAttempts:
      lockedUntil === null
        ? state.guard.countedFailures
        : state.guard.lockReason === 'TOO_MANY_WRONG_CODES'
          ? 0
          : FAILURES_BEFORE_LOCK,
    lastSignInAt: state.status === 'ACTIVE' ? state.lastSignInAt : null,
  };
}
