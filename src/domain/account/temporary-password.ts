import { checkCode, otpIssued } from './codes.js';
import type { CodeLimit, FreshTemporaryPassword } from './commands.js';
import { BOTH, codeRejected, iso, later, nothing } from './decision-parts.js';
import type { AccountEvent, TemporaryPasswordIssued, TemporaryPasswordVia } from './events.js';
import type { AccountDecision, CodeRejection } from './outcomes.js';
import { CHANGE_TOKEN_TTL_MS, MAX_WRONG_TEMPORARY_PASSWORDS, TEMPORARY_PASSWORD_TTL_MS } from './rules.js';
import type { AccountState, TemporaryPassword } from './state.js';

export function temporaryPasswordIssued(
  accountId: string,
  fresh: FreshTemporaryPassword,
  how: {
    recoveryId: string | null;
    via: TemporaryPasswordVia;
    requiresSecurityQuestion: boolean;
    now: Date;
    reason?: string;
  },
): TemporaryPasswordIssued {
  return {
    type: 'TemporaryPasswordIssued',
    data: {
      accountId,
      temporaryPasswordId: fresh.temporaryPasswordId,
      recoveryId: how.recoveryId,
      via: how.via,
      passwordHash: fresh.passwordHash,
      requiresSecurityQuestion: how.requiresSecurityQuestion,
      channels: BOTH,
      issuedAt: iso(how.now),
      expiresAt: later(how.now, TEMPORARY_PASSWORD_TTL_MS),
      ...(how.reason ? { reason: how.reason } : {}),
    },
  };
}

/** The temporary password still worth something at `now`: issued, unused, not void, not expired. */
export function outstandingTemporaryPassword(state: AccountState, now: Date): TemporaryPassword | null {
  const temp = state.temporaryPassword;
  if (temp?.status !== 'OPEN' || temp.wrongTries >= MAX_WRONG_TEMPORARY_PASSWORDS) return null;
  return now.getTime() < Date.parse(temp.expiresAt) ? temp : null;
}

export interface SignInWithTemporary {
  accountId: string;
  purpose: 'SIGN_IN' | 'PASSWORD_CHANGE';
  passwordMatches: boolean;
  /** HMAC of the typed password bound to the outstanding temporary password's id; absent when none. */
  temporaryPasswordHash?: string | undefined;
  codeLimit: CodeLimit;
  challengeId: string;
  codeHash: string;
  now: Date;
}

/**
 * startLogin while a temporary password is outstanding. The temporary password is accepted even during
 * a lock (identity was just proven) and leads to a code of purpose TEMPORARY_SIGN_IN; any other wrong
 * password counts against it (the fifth voids it) before the ordinary three-strikes rule runs.
 */
export function withTemporaryPassword<C extends SignInWithTemporary>(
  state: AccountState,
  c: C,
  ordinary: (state: AccountState, c: C) => AccountDecision,
): AccountDecision {
  const temp = c.purpose === 'SIGN_IN' ? outstandingTemporaryPassword(state, c.now) : null;
  if (!temp || state.accountId === null || state.status !== 'ACTIVE') return ordinary(state, c);
  const accountId = state.accountId;
  const at = iso(c.now);
  const { temporaryPasswordId } = temp;
  if (c.temporaryPasswordHash !== undefined && c.temporaryPasswordHash === temp.passwordHash) {
    if (!c.codeLimit.allowed)
      return nothing({ kind: 'RateLimited', retryAfterSeconds: c.codeLimit.retryAfterSeconds });
    const otp = otpIssued(accountId, c.challengeId, 'TEMPORARY_SIGN_IN', c.codeHash, c.now);
    const { expiresAt } = otp.data;
    return {
      events: [
        { type: 'TemporaryPasswordAccepted', data: { accountId, temporaryPasswordId, acceptedAt: at } },
        otp,
      ],
      outcome: { kind: 'CodeSent', challengeId: c.challengeId, channels: BOTH, expiresAt },
    };
  }
  if (c.passwordMatches) return ordinary(state, c);
  const wrongTries = temp.wrongTries + 1;
  const spent: AccountEvent[] = [
    {
      type: 'TemporaryPasswordRejected',
      data: { accountId, temporaryPasswordId, wrongTries, rejectedAt: at },
    },
  ];
  if (wrongTries >= MAX_WRONG_TEMPORARY_PASSWORDS)
    spent.push({
      type: 'TemporaryPasswordVoided',
      data: { accountId, temporaryPasswordId, reason: 'TOO_MANY_WRONG_PASSWORDS', voidedAt: at },
    });
  const decision = ordinary(state, c);
  return { events: [...spent, ...decision.events], outcome: decision.outcome };
}

export interface CompleteWithTemporary {
  challengeId: string;
  codeHash: string;
  changeTokenHash?: string | undefined;
  now: Date;
}

/**
 * completeLogin with the code that followed a temporary password: never a session, only a change
 * token; not stopped by a lock. Null when the challenge is not of that kind (the ordinary path runs).
 */
export function completeTemporarySignIn(
  state: AccountState,
  c: CompleteWithTemporary,
): AccountDecision | null {
  if (state.challenges[c.challengeId]?.purpose !== 'TEMPORARY_SIGN_IN') return null;
  const check = checkCode(state, c.challengeId, c.codeHash, 'TEMPORARY_SIGN_IN', c.now);
  if (!check.ok) return check.decision;
  const temp = outstandingTemporaryPassword(state, c.now);
  if (!temp || state.accountId === null || c.changeTokenHash === undefined) return codeRejected('EXPIRED');
  const accountId = state.accountId;
  const expiresAt = later(c.now, CHANGE_TOKEN_TTL_MS);
  return {
    events: [
      ...check.events,
      {
        type: 'TemporaryPasswordUsed',
        data: { accountId, temporaryPasswordId: temp.temporaryPasswordId, usedAt: iso(c.now) },
      },
      {
        type: 'PasswordChangeAuthorised',
        data: {
          accountId,
          changeTokenHash: c.changeTokenHash,
          requiresSecurityQuestion: temp.requiresSecurityQuestion,
          authorisedAt: iso(c.now),
          expiresAt,
        },
      },
    ],
    outcome: {
      kind: 'PasswordChangeRequired',
      expiresAt,
      requiresSecurityQuestion: temp.requiresSecurityQuestion,
    },
  };
}

/**
 * Why a change token opens nothing, or null when it opens a setNewPassword: the stream's grant must
 * match its hash, be open and unexpired, on an active account. Whoever does not hold the token gets
 * INVALID, the same for an account and for an identifier without one; only the holder learns that it
 * was used or expired. The handler asks this before it judges or hashes anything.
 */
export function changeTokenRejection(
  state: AccountState,
  tokenHash: string,
  now: Date,
): CodeRejection | null {
  const grant = state.changeGrant;
  if (!grant || grant.changeTokenHash !== tokenHash || state.status !== 'ACTIVE') return 'INVALID';
  if (grant.status === 'USED') return 'ALREADY_USED';
  if (now.getTime() >= Date.parse(grant.expiresAt)) return 'EXPIRED';
  return null;
}
