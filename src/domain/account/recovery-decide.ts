import type { AccountDecision, AccountOutcome, CodeRejection } from './decide.js';
import { checkCode, sessionStart } from './decide.js';
import type { AccountEvent, Channel } from './events.js';
import type { TemporaryPasswordIssued, TemporaryPasswordVia } from './recovery-events.js';
import {
  CHANGE_TOKEN_TTL_MS,
  EMAIL_BRANCH_PAUSE_MS,
  MAX_WRONG_RECOVERY_ANSWERS,
  MAX_WRONG_TEMPORARY_PASSWORDS,
  REAUTHENTICATION_MS,
  RECOVERY_TTL_MS,
  TEMPORARY_PASSWORD_TTL_MS,
} from './recovery-rules.js';
import type { Recovery, TemporaryPassword } from './recovery-state.js';
import { CODE_TTL_MS } from './rules.js';
import { type AccountState, activeLock } from './state.js';

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

/** Recovery, contact change and helpdesk commands; like the sign-in ones, hashes and `now` come in. */
export type RecoveryCommand =
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
  | { type: 'UnlockAccount'; reason: string; now: Date }
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

export type RecoveryNext = 'ENTER_CODE' | 'ANSWER_SECURITY_QUESTION' | 'SIGN_IN_WITH_TEMPORARY_PASSWORD';

export type RecoveryOutcome =
  | { kind: 'RecoveryStep'; recoveryId: string; next: RecoveryNext; securityQuestion: string | null }
  | { kind: 'AnswerRejected'; attemptsLeft: number }
  | { kind: 'EmailRejected'; attemptsLeft: number }
  | { kind: 'PasswordChangeRequired'; expiresAt: string; requiresSecurityQuestion: boolean }
  | { kind: 'PasswordReset'; sessionId: string; expiresAt: string; endedSessions: string[] }
  | { kind: 'QuestionRequired' }
  | { kind: 'TemporaryPasswordSent'; temporaryPasswordId: string }
  | { kind: 'Unlocked' }
  | { kind: 'NotLocked' }
  | { kind: 'NotRegistered' }
  | { kind: 'ContactChanged' }
  | { kind: 'ReauthenticationRequired' }
  | { kind: 'StaffAccount' };

type Of<T extends RecoveryCommand['type']> = Extract<RecoveryCommand, { type: T }>;
const iso = (d: Date) => d.toISOString();
const later = (d: Date, ms: number) => new Date(d.getTime() + ms).toISOString();
const nothing = (outcome: AccountOutcome): AccountDecision => ({ events: [], outcome });
const codeRejected = (reason: CodeRejection): AccountDecision =>
  nothing({ kind: 'CodeRejected', reason, attemptsLeft: 0 });
const BOTH: Channel[] = ['SMS', 'EMAIL'];

export function decideRecovery(state: AccountState, command: RecoveryCommand): AccountDecision {
  switch (command.type) {
    case 'StartRecovery':
      return startRecovery(command);
    case 'VerifyRecoveryCode':
      return verifyRecoveryCode(state, command);
    case 'AnswerSecurityQuestion':
      return answerSecurityQuestion(state, command);
    case 'ConfirmRecoveryEmail':
      return confirmRecoveryEmail(state, command);
    case 'SetNewPassword':
      return setNewPassword(state, command);
    case 'RegeneratePassword':
      return regeneratePassword(state, command);
    case 'UnlockAccount':
      return unlockAccount(state, command);
    case 'StartContactChange':
      return startContactChange(state, command);
    case 'CompleteContactChange':
      return completeContactChange(state, command);
    default: {
      const unexpected: never = command;
      throw new Error(`unknown recovery command ${JSON.stringify(unexpected)}`);
    }
  }
}

/**
 * Recovery never looks at the lock: it must stay open while the account is locked, or anyone could keep
 * a person out by typing three wrong passwords every three hours. It answers the same for an account
 * and for a decoy (an identifier without one); only the handler knows which, and sends nothing then.
 */
function startRecovery(c: Of<'StartRecovery'>): AccountDecision {
  const expiresAt = later(c.now, CODE_TTL_MS);
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
      {
        type: 'OtpIssued',
        data: {
          accountId: c.accountId,
          challengeId: c.recoveryId,
          purpose: 'RECOVERY',
          codeHash: c.codeHash,
          channels: BOTH,
          issuedAt: iso(c.now),
          expiresAt,
        },
      },
    ],
    outcome: { kind: 'RecoveryStep', recoveryId: c.recoveryId, next: 'ENTER_CODE', securityQuestion: null },
  };
}

type RecoveryCheck = { ok: true; recovery: Recovery } | { ok: false; decision: AccountDecision };

/** The recovery a call names, if it is the newest one and still running; else why not. */
function currentRecovery(state: AccountState, recoveryId: string, now: Date): RecoveryCheck {
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

function verifyRecoveryCode(state: AccountState, c: Of<'VerifyRecoveryCode'>): AccountDecision {
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
function proveIdentity(
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

function answerSecurityQuestion(state: AccountState, c: Of<'AnswerSecurityQuestion'>): AccountDecision {
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
function confirmRecoveryEmail(state: AccountState, c: Of<'ConfirmRecoveryEmail'>): AccountDecision {
  const proven =
    state.status !== 'NONE' && sameEmail(state.profile.email, c.email) && !emailRecentlyChanged(state, c.now);
  return proveIdentity(state, c, proven);
}

function temporaryPasswordIssued(
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
    const expiresAt = later(c.now, CODE_TTL_MS);
    return {
      events: [
        { type: 'TemporaryPasswordAccepted', data: { accountId, temporaryPasswordId, acceptedAt: at } },
        {
          type: 'OtpIssued',
          data: {
            accountId,
            challengeId: c.challengeId,
            purpose: 'TEMPORARY_SIGN_IN',
            codeHash: c.codeHash,
            channels: BOTH,
            issuedAt: at,
            expiresAt,
          },
        },
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

/**
 * The new password (judged and hashed by the handler first) with a change token: ends the lock, every
 * older session, and the temporary password; starts a new session.
 */
function setNewPassword(state: AccountState, c: Of<'SetNewPassword'>): AccountDecision {
  const rejection = changeTokenRejection(state, c.changeTokenHash, c.now);
  if (rejection) return codeRejected(rejection);
  const grant = state.changeGrant;
  if (!grant || state.status !== 'ACTIVE' || state.accountId === null) return codeRejected('INVALID');
  if (grant.requiresSecurityQuestion && !c.security) return nothing({ kind: 'QuestionRequired' });
  const accountId = state.accountId;
  const at = iso(c.now);
  const older = Object.keys(state.sessions);
  const hasAdmin = state.roles.some((r) => r.role === 'ADMIN');
  const start = sessionStart(accountId, c.sessionId, c.now, c.grantAdmin, hasAdmin);
  return {
    events: [
      { type: 'PasswordChanged', data: { accountId, passwordHash: c.passwordHash, changedAt: at } },
      ...(c.security
        ? [
            {
              type: 'SecurityQuestionSet' as const,
              data: {
                accountId,
                securityAnswerHash: c.security.answerHash,
                setAt: at,
                personal: { securityQuestion: c.security.question },
              },
            },
          ]
        : []),
      ...older.map(
        (sessionId): AccountEvent => ({
          type: 'SessionEnded',
          data: { accountId, sessionId, reason: 'PASSWORD_CHANGED', endedAt: at },
        }),
      ),
      ...start.events,
    ],
    outcome: {
      kind: 'PasswordReset',
      sessionId: c.sessionId,
      expiresAt: start.outcome.expiresAt,
      endedSessions: older,
    },
  };
}

/**
 * Helpdesk: a temporary password to the account's contacts, or to new ones it checked in person. Never
 * for an account that holds a staff role, nor the staff member's own: a helpdesk member could otherwise
 * send an admin's (or a colleague's, or their own) temporary password to a phone of their choosing and
 * take the role. Those go to an ADMIN.
 */
function regeneratePassword(state: AccountState, c: Of<'RegeneratePassword'>): AccountDecision {
  if (state.status !== 'ACTIVE' || state.accountId === null) return nothing({ kind: 'NotRegistered' });
  if (state.roles.length > 0 || c.targetIsConfiguredAdmin || state.accountId === c.staffAccountId)
    return nothing({ kind: 'StaffAccount' });
  if (!c.codeLimit.allowed)
    return nothing({ kind: 'RateLimited', retryAfterSeconds: c.codeLimit.retryAfterSeconds });
  const accountId = state.accountId;
  const events: AccountEvent[] = [];
  const changed = changedContacts(state.profile, c.newContacts);
  if (changed)
    events.push({
      type: 'ContactChanged',
      data: { accountId, challengeId: null, reason: c.reason, changedAt: iso(c.now), personal: changed },
    });
  events.push(
    temporaryPasswordIssued(accountId, c.temporaryPassword, {
      recoveryId: null,
      via: 'HELPDESK',
      requiresSecurityQuestion: false,
      now: c.now,
      reason: c.reason,
    }),
  );
  return {
    events,
    outcome: { kind: 'TemporaryPasswordSent', temporaryPasswordId: c.temporaryPassword.temporaryPasswordId },
  };
}

/** Only the contacts that differ from the profile's; null when none does. */
function changedContacts(
  profile: { email: string; phone: string },
  given: NewContacts | null,
): NewContacts | null {
  const changed: NewContacts = {};
  if (given?.email !== undefined && !sameEmail(given.email, profile.email)) changed.email = given.email;
  if (given?.phone !== undefined && given.phone !== profile.phone) changed.phone = given.phone;
  return changed.email === undefined && changed.phone === undefined ? null : changed;
}

function unlockAccount(state: AccountState, c: Of<'UnlockAccount'>): AccountDecision {
  if (state.status !== 'ACTIVE' || state.accountId === null) return nothing({ kind: 'NotRegistered' });
  if (!activeLock(state, c.now)) return nothing({ kind: 'NotLocked' });
  return {
    events: [
      {
        type: 'AccountUnlocked',
        data: { accountId: state.accountId, reason: c.reason, unlockedAt: iso(c.now) },
      },
    ],
    outcome: { kind: 'Unlocked' },
  };
}

/**
 * Whether the session started at most REAUTHENTICATION_MS before `now`. Every SessionStarted follows a
 * password and a code (confirmRegistration: the password just chosen and the registration code;
 * completeLogin; setNewPassword after a temporary password and its code), so its start is the time of
 * the last full authentication of whoever holds it.
 */
export function recentlyAuthenticated(state: AccountState, sessionId: string, now: Date): boolean {
  if (state.status !== 'ACTIVE') return false;
  const session = state.sessions[sessionId];
  return session !== undefined && now.getTime() - Date.parse(session.startedAt) <= REAUTHENTICATION_MS;
}

/** Signed in recently: a code to each new contact; the contacts change only once it comes back. */
function startContactChange(state: AccountState, c: Of<'StartContactChange'>): AccountDecision {
  if (state.status !== 'ACTIVE' || state.accountId === null) return nothing({ kind: 'NotRegistered' });
  if (!recentlyAuthenticated(state, c.sessionId, c.now)) return nothing({ kind: 'ReauthenticationRequired' });
  const changed = changedContacts(state.profile, c.newContacts);
  if (!changed) return nothing({ kind: 'ContactChanged' });
  const accountId = state.accountId;
  const channels: Channel[] = [
    ...(changed.phone !== undefined ? (['SMS'] as const) : []),
    ...(changed.email !== undefined ? (['EMAIL'] as const) : []),
  ];
  const expiresAt = later(c.now, CODE_TTL_MS);
  return {
    events: [
      {
        type: 'ContactChangeStarted',
        data: { accountId, challengeId: c.challengeId, startedAt: iso(c.now), personal: changed },
      },
      {
        type: 'OtpIssued',
        data: {
          accountId,
          challengeId: c.challengeId,
          purpose: 'CONTACT_CHANGE',
          codeHash: c.codeHash,
          channels,
          issuedAt: iso(c.now),
          expiresAt,
        },
      },
    ],
    outcome: { kind: 'CodeSent', challengeId: c.challengeId, channels, expiresAt },
  };
}

function completeContactChange(state: AccountState, c: Of<'CompleteContactChange'>): AccountDecision {
  const check = checkCode(state, c.challengeId, c.codeHash, 'CONTACT_CHANGE', c.now);
  if (!check.ok) return check.decision;
  const pending = state.contactChange;
  if (state.status !== 'ACTIVE' || state.accountId === null || pending?.challengeId !== c.challengeId)
    return codeRejected('INVALID');
  const { challengeId: _id, ...personal } = pending;
  return {
    events: [
      ...check.events,
      {
        type: 'ContactChanged',
        data: { accountId: state.accountId, challengeId: c.challengeId, changedAt: iso(c.now), personal },
      },
    ],
    outcome: { kind: 'ContactChanged' },
  };
}
