import { checkCode, otpIssued } from './codes.js';
import type { AccountCommand } from './commands.js';
import { codeRejected, iso, later, nothing } from './decision-parts.js';
import type { AccountEvent } from './events.js';
import type { AccountDecision } from './outcomes.js';
import { EMAIL_BRANCH_PAUSE_MS, MAX_WRONG_RECOVERY_ANSWERS, RECOVERY_TTL_MS } from './rules.js';
import type { AccountState, Recovery } from './state.js';
import { temporaryPasswordIssued } from './temporary-password.js';

type Of<T extends AccountCommand['type']> = Extract<AccountCommand, { type: T }>;

/**
 * Recovery never looks at the lock: it must stay open while the account is locked, or anyone could keep
 * a person out by typing three wrong passwords every three hours. It answers the same for an account
 * and for a decoy (an identifier without one); only the handler knows which, and sends nothing then.
 */
export function startRecovery(c: Of<'StartRecovery'>): AccountDecision {
  return {
    events: [
      {
        type: 'RecoveryStarted',
        data: {
          accountId: c.accountId,
          recoveryId: c.recoveryId,
          startedAt: iso(c.now),
          expiresAt: later(c.now, RECOVERY_TTL_MS),
        },
      },
      otpIssued(c.accountId, c.recoveryId, 'RECOVERY', c.codeHash, c.now),
    ],
    outcome: { kind: 'RecoveryStep', recoveryId: c.recoveryId, next: 'ENTER_CODE', securityQuestion: null },
  };
}

type RecoveryCheck = { ok: true; recovery: Recovery } | { ok: false; decision: AccountDecision };

/** The recovery a call names, if it is the newest one and still running; else why not. */
export function currentRecovery(state: AccountState, recoveryId: string, now: Date): RecoveryCheck {
  const recovery = state.recovery;
  if (!recovery || recovery.recoveryId !== recoveryId) {
    // An older recovery of this account: a newer one replaced it.
    const older = state.challenges[recoveryId]?.purpose === 'RECOVERY';
    return { ok: false, decision: codeRejected(older ? 'EXPIRED' : 'INVALID') };
  }
  if (recovery.stage === 'DONE') return { ok: false, decision: codeRejected('ALREADY_USED') };
  if (now.getTime() >= Date.parse(recovery.expiresAt))
    return { ok: false, decision: codeRejected('EXPIRED') };
  return { ok: true, recovery };
}

export function verifyRecoveryCode(state: AccountState, c: Of<'VerifyRecoveryCode'>): AccountDecision {
  const current = currentRecovery(state, c.recoveryId, c.now);
  if (!current.ok) return current.decision;
  const check = checkCode(state, c.recoveryId, c.codeHash, 'RECOVERY', c.now);
  if (!check.ok) return check.decision;
  // A decoy's code is never sent, so this is only reachable by guessing; it still opens nothing.
  if (state.status !== 'ACTIVE' || state.accountId === null) return codeRejected('INVALID');
  return {
    events: [
      ...check.events,
      {
        type: 'RecoveryCodeVerified',
        data: { accountId: state.accountId, recoveryId: c.recoveryId, verifiedAt: iso(c.now) },
      },
    ],
    outcome: {
      kind: 'RecoveryStep',
      recoveryId: c.recoveryId,
      next: 'ANSWER_SECURITY_QUESTION',
      securityQuestion: state.profile.securityQuestion,
    },
  };
}

/** Both branches after the code: the answer or the e-mail, 3 wrong ones together end the recovery. */
export function proveIdentity(
  state: AccountState,
  c: Of<'AnswerSecurityQuestion'> | Of<'ConfirmRecoveryEmail'>,
  proven: boolean,
): AccountDecision {
  const byEmail = c.type === 'ConfirmRecoveryEmail';
  const rejectedKind = byEmail ? 'EmailRejected' : 'AnswerRejected';
  const current = currentRecovery(state, c.recoveryId, c.now);
  if (!current.ok) return current.decision;
  const { recovery } = current;
  if (recovery.stage === 'FAILED') return nothing({ kind: rejectedKind, attemptsLeft: 0 });
  if (recovery.stage !== 'CODE_VERIFIED' || state.status !== 'ACTIVE' || state.accountId === null)
    return codeRejected('INVALID');
  const accountId = state.accountId;
  const at = iso(c.now);
  if (!proven) {
    const wrongAttempts = recovery.wrongAttempts + 1;
    const events: AccountEvent[] = [
      {
        type: byEmail ? 'RecoveryEmailRejected' : 'SecurityAnswerRejected',
        data: { accountId, recoveryId: c.recoveryId, wrongAttempts, rejectedAt: at },
      },
    ];
    if (wrongAttempts >= MAX_WRONG_RECOVERY_ANSWERS)
      events.push({
        type: 'RecoveryFailed',
        data: { accountId, recoveryId: c.recoveryId, reason: 'TOO_MANY_WRONG_ANSWERS', failedAt: at },
      });
    return {
      events,
      outcome: { kind: rejectedKind, attemptsLeft: Math.max(0, MAX_WRONG_RECOVERY_ANSWERS - wrongAttempts) },
    };
  }
  // Identity is proven; the one-hour sending budget decides whether the password can go out now.
  if (!c.codeLimit.allowed)
    return nothing({ kind: 'RateLimited', retryAfterSeconds: c.codeLimit.retryAfterSeconds });
  const proof: AccountEvent = byEmail
    ? { type: 'RecoveryEmailConfirmed', data: { accountId, recoveryId: c.recoveryId, confirmedAt: at } }
    : { type: 'SecurityAnswerAccepted', data: { accountId, recoveryId: c.recoveryId, acceptedAt: at } };
  return {
    events: [
      proof,
      temporaryPasswordIssued(accountId, c.temporaryPassword, {
        recoveryId: c.recoveryId,
        via: byEmail ? 'EMAIL' : 'SECURITY_ANSWER',
        // The e-mail branch means the question is forgotten: the next recovery needs a new one.
        requiresSecurityQuestion: byEmail,
        now: c.now,
      }),
    ],
    outcome: {
      kind: 'RecoveryStep',
      recoveryId: c.recoveryId,
      next: 'SIGN_IN_WITH_TEMPORARY_PASSWORD',
      securityQuestion: null,
    },
  };
}

export function answerSecurityQuestion(
  state: AccountState,
  c: Of<'AnswerSecurityQuestion'>,
): AccountDecision {
  return proveIdentity(state, c, c.answerMatches);
}

/** The account's e-mail, compared case-insensitively and without surrounding spaces. */
export const sameEmail = (a: string, b: string) => a.trim().toLowerCase() === b.trim().toLowerCase();

/** Whether the e-mail was replaced within EMAIL_BRANCH_PAUSE_MS before `now`. */
export function emailRecentlyChanged(state: AccountState, now: Date): boolean {
  const at = state.emailChangedAt;
  return at !== null && now.getTime() < Date.parse(at) + EMAIL_BRANCH_PAUSE_MS;
}

/**
 * The right e-mail proves nothing while the e-mail branch is paused after an e-mail change (someone who
 * held a session could have set it). The answer is the one a wrong e-mail gets, counted like one, so it
 * tells nobody why; the owner still has the security question's branch and the helpdesk.
 */
export function confirmRecoveryEmail(state: AccountState, c: Of<'ConfirmRecoveryEmail'>): AccountDecision {
  const proven =
    state.status !== 'NONE' && sameEmail(state.profile.email, c.email) && !emailRecentlyChanged(state, c.now);
  return proveIdentity(state, c, proven);
}
