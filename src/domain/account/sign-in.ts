import { checkCode, lockOnWrongCodes, otpIssued } from './codes.js';
import type { AccountCommand } from './commands.js';
import { BOTH, iso, later, nothing } from './decision-parts.js';
import type { AccountEvent, SignInStep } from './events.js';
import type { AccountDecision } from './outcomes.js';
import { FAILURES_BEFORE_LOCK, LOCK_MS } from './rules.js';
import { sessionStart } from './sessions.js';
import { type AccountState, activeLock } from './state.js';
import {
  completeTemporarySignIn,
  outstandingTemporaryPassword,
  withTemporaryPassword,
} from './temporary-password.js';

type Of<T extends AccountCommand['type']> = Extract<AccountCommand, { type: T }>;

/** startLogin (and the start of a password change): the temporary password first, then three strikes. */
export function decideStartSignIn(state: AccountState, c: Of<'StartSignIn'>): AccountDecision {
  return withTemporaryPassword(state, c, startSignIn);
}

/** completeLogin: the code after a temporary password leads to a change token, any other to a session. */
export function decideCompleteSignIn(state: AccountState, c: Of<'CompleteSignIn'>): AccountDecision {
  return completeTemporarySignIn(state, c) ?? completeSignIn(state, c);
}

/** The answer to a challenge id that is not one of the account's own of the step asked. */
export const unknownChallenge = (): AccountDecision =>
  nothing({ kind: 'CodeRejected', reason: 'INVALID', attemptsLeft: 0 });

/**
 * An attempt during a lock: answered AccountLocked and recorded (every attempt is an event), with
 * nothing verified and nothing counted, so the lock's end never moves and no failure is added.
 */
export function refusedWhileLocked(
  accountId: string,
  step: SignInStep,
  lockedUntil: string,
  now: Date,
): AccountDecision {
  return {
    events: [
      {
        type: 'SignInRefused',
        data: { accountId, step, reason: 'LOCKED', lockedUntil, refusedAt: iso(now) },
      },
    ],
    outcome: { kind: 'Locked', lockedUntil },
  };
}

/**
 * The three-strikes rule. A lock answers before anything is verified; a wrong password is counted
 * and the third counted one is appended together with the lock it causes, so no reader ever sees a
 * third failure without its lock. Unknown identifiers go through the same rule on their attempts stream.
 */
function startSignIn(state: AccountState, c: Of<'StartSignIn'>): AccountDecision {
  const lockedUntil = activeLock(state, c.now);
  if (lockedUntil) {
    const step = c.purpose === 'SIGN_IN' ? 'START_LOGIN' : 'START_PASSWORD_CHANGE';
    return refusedWhileLocked(c.accountId, step, lockedUntil, c.now);
  }
  if (!c.passwordMatches || state.status !== 'ACTIVE') {
    const countedFailures = state.guard.countedFailures + 1;
    const events: AccountEvent[] = [
      { type: 'PasswordRejected', data: { accountId: c.accountId, countedFailures, rejectedAt: iso(c.now) } },
    ];
    if (countedFailures < FAILURES_BEFORE_LOCK) return { events, outcome: { kind: 'SignInRejected' } };
    const until = later(c.now, LOCK_MS);
    events.push({
      type: 'AccountLocked',
      data: {
        accountId: c.accountId,
        lockedAt: iso(c.now),
        lockedUntil: until,
        reason: 'TOO_MANY_WRONG_PASSWORDS',
      },
    });
    return { events, outcome: { kind: 'Locked', lockedUntil: until } };
  }
  const accepted: AccountEvent = {
    type: 'PasswordAccepted',
    data: { accountId: c.accountId, acceptedAt: iso(c.now) },
  };
  if (!c.codeLimit.allowed)
    return {
      events: [accepted],
      outcome: { kind: 'RateLimited', retryAfterSeconds: c.codeLimit.retryAfterSeconds },
    };
  const otp = otpIssued(c.accountId, c.challengeId, c.purpose, c.codeHash, c.now);
  return {
    events: [accepted, otp],
    outcome: { kind: 'CodeSent', challengeId: c.challengeId, channels: BOTH, expiresAt: otp.data.expiresAt },
  };
}

function completeSignIn(state: AccountState, c: Of<'CompleteSignIn'>): AccountDecision {
  // A challenge id this account never issued for sign-in (made up from the account id, or another
  // step's) is refused before the lock is looked at: an identifier without an account has no lock to
  // show, so answering AccountLocked here would tell that the account exists.
  if (state.challenges[c.challengeId]?.purpose !== 'SIGN_IN') return unknownChallenge();
  const lockedUntil = activeLock(state, c.now);
  if (lockedUntil && state.accountId !== null)
    return refusedWhileLocked(state.accountId, 'COMPLETE_LOGIN', lockedUntil, c.now);
  const check = checkCode(state, c.challengeId, c.codeHash, 'SIGN_IN', c.now);
  if (!check.ok) return lockOnWrongCodes(state, check.decision, c.now);
  if (state.status !== 'ACTIVE' || state.accountId === null)
    return nothing({ kind: 'CodeRejected', reason: 'INVALID', attemptsLeft: 0 });
  const hasAdmin = state.roles.some((r) => r.role === 'ADMIN');
  const start = sessionStart(state.accountId, c.sessionId, c.now, c.grantAdmin, hasAdmin);
  // The owner got in with the real password and a code: a temporary password still out (someone may
  // have started a recovery, or it went to an old mailbox) has no use left and would only be a way in.
  const temporary = outstandingTemporaryPassword(state, c.now);
  const voided: AccountEvent[] = temporary
    ? [
        {
          type: 'TemporaryPasswordVoided',
          data: {
            accountId: state.accountId,
            temporaryPasswordId: temporary.temporaryPasswordId,
            reason: 'SIGNED_IN_WITH_PASSWORD',
            voidedAt: iso(c.now),
          },
        },
      ]
    : [];
  return { events: [...check.events, ...voided, ...start.events], outcome: start.outcome };
}
