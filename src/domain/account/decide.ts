import type {
  AccountEvent,
  AccountKind,
  Channel,
  CodePurpose,
  GrantableRole,
  SessionEndReason,
  SignInStep,
} from './events.js';
import {
  completeTemporarySignIn,
  decideRecovery,
  outstandingTemporaryPassword,
  type RecoveryCommand,
  type RecoveryOutcome,
  withTemporaryPassword,
} from './recovery-decide.js';
import {
  CODE_TTL_MS,
  FAILURES_BEFORE_LOCK,
  LOCK_MS,
  MAX_WRONG_CODES,
  SESSION_ABSOLUTE_MS,
  WRONG_CODES_BEFORE_LOCK,
  WRONG_CODES_WINDOW_MS,
} from './rules.js';
import { type AccountState, activeLock, type Challenge } from './state.js';

/**
 * The account's commands. The handler does the impure work first (argon2, the code's HMAC, fresh ids,
 * the clock, rate limits) and passes the results in; deciding is then a pure function of the stream.
 */
export type AccountCommand =
  | {
      type: 'RegisterAccount';
      accountId: string;
      kind: AccountKind;
      identifier: string;
      displayName: string;
      email: string;
      phone: string;
      securityQuestion: string;
      administratorNid?: string;
      passwordHash: string;
      securityAnswerHash: string;
      challengeId: string;
      codeHash: string;
      now: Date;
    }
  | {
      type: 'ConfirmRegistration';
      challengeId: string;
      codeHash: string;
      sessionId: string;
      grantAdmin: boolean;
      now: Date;
    }
  | {
      type: 'StartSignIn';
      accountId: string;
      purpose: 'SIGN_IN' | 'PASSWORD_CHANGE';
      /** The argon2 verdict; false when nothing was verified (unknown identifier, a lock). */
      passwordMatches: boolean;
      /** Whether the per-account and per-destination code limits let one more code go out. */
      codeLimit: { allowed: true } | { allowed: false; retryAfterSeconds: number };
      challengeId: string;
      codeHash: string;
      /** HMAC of the typed password bound to the outstanding temporary password (issue #4), if any. */
      temporaryPasswordHash?: string;
      now: Date;
    }
  | {
      type: 'CompleteSignIn';
      challengeId: string;
      codeHash: string;
      sessionId: string;
      grantAdmin: boolean;
      /** Hash of the change token handed out when the code follows a temporary password (issue #4). */
      changeTokenHash?: string;
      now: Date;
    }
  | { type: 'ResendCode'; challengeId: string; codeHash: string; now: Date }
  | { type: 'EndSession'; sessionId: string; reason: SessionEndReason; now: Date }
  | {
      type: 'ChangePassword';
      challengeId: string;
      codeHash: string;
      passwordHash: string;
      keepSessionId: string;
      now: Date;
    }
  | { type: 'GrantRole'; role: GrantableRole; institution: string | null; reason: string; now: Date }
  | { type: 'RevokeRole'; role: GrantableRole; reason: string; now: Date }
  | RecoveryCommand;

export type CodeRejection = 'INVALID' | 'EXPIRED' | 'TOO_MANY_ATTEMPTS' | 'ALREADY_USED';

export type AccountOutcome =
  | { kind: 'CodeSent'; challengeId: string; channels: Channel[]; expiresAt: string }
  | { kind: 'AlreadyRegistered' }
  | { kind: 'SignInRejected' }
  | { kind: 'Locked'; lockedUntil: string }
  | { kind: 'RateLimited'; retryAfterSeconds: number }
  | { kind: 'CodeRejected'; reason: CodeRejection; attemptsLeft: number }
  | { kind: 'SessionStarted'; sessionId: string; expiresAt: string }
  | { kind: 'SessionEnded'; ended: boolean }
  | { kind: 'PasswordChanged'; endedSessions: string[] }
  | { kind: 'RoleChanged' }
  | { kind: 'RoleRefused'; field: 'identifier' | 'institution' | 'role'; code: string }
  | RecoveryOutcome;

export interface AccountDecision {
  events: AccountEvent[];
  outcome: AccountOutcome;
}

const BOTH: Channel[] = ['SMS', 'EMAIL'];
const iso = (d: Date) => d.toISOString();
const later = (d: Date, ms: number) => new Date(d.getTime() + ms).toISOString();

export function decideAccount(state: AccountState, command: AccountCommand): AccountDecision {
  switch (command.type) {
    case 'RegisterAccount':
      return register(state, command);
    case 'ConfirmRegistration':
      return confirmRegistration(state, command);
    case 'StartSignIn':
      return withTemporaryPassword(state, command, startSignIn);
    case 'CompleteSignIn':
      return completeTemporarySignIn(state, command) ?? completeSignIn(state, command);
    case 'ResendCode':
      return resendCode(state, command);
    case 'EndSession':
      return endSession(state, command);
    case 'ChangePassword':
      return changePassword(state, command);
    case 'GrantRole':
      return grantRole(state, command);
    case 'RevokeRole':
      return revokeRole(state, command);
    case 'StartRecovery':
    case 'VerifyRecoveryCode':
    case 'AnswerSecurityQuestion':
    case 'ConfirmRecoveryEmail':
    case 'SetNewPassword':
    case 'RegeneratePassword':
    case 'UnlockAccount':
    case 'StartContactChange':
    case 'CompleteContactChange':
      return decideRecovery(state, command);
    default: {
      const unexpected: never = command;
      throw new Error(`unknown account command ${JSON.stringify(unexpected)}`);
    }
  }
}

type Of<T extends AccountCommand['type']> = Extract<AccountCommand, { type: T }>;
const nothing = (outcome: AccountOutcome): AccountDecision => ({ events: [], outcome });

/**
 * An attempt during a lock: answered AccountLocked and recorded (every attempt is an event), with
 * nothing verified and nothing counted, so the lock's end never moves and no failure is added.
 */
function refusedWhileLocked(
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

/** Whether a code is still worth something: open, not expired, tries left. */
export function codeStillValid(challenge: Challenge | undefined, now: Date): boolean {
  return (
    challenge !== undefined &&
    challenge.status === 'OPEN' &&
    challenge.wrongTries < MAX_WRONG_CODES &&
    now.getTime() < Date.parse(challenge.expiresAt)
  );
}

function register(state: AccountState, c: Of<'RegisterAccount'>): AccountDecision {
  if (state.status === 'ACTIVE') return nothing({ kind: 'AlreadyRegistered' });
  // A pending registration blocks only while its code can still be used: nobody can squat a number.
  if (
    state.status === 'PENDING' &&
    codeStillValid(state.challenges[state.profile.registrationChallengeId], c.now)
  )
    return nothing({ kind: 'AlreadyRegistered' });
  const expiresAt = later(c.now, CODE_TTL_MS);
  return {
    events: [
      {
        type: 'AccountRegistered',
        data: {
          accountId: c.accountId,
          kind: c.kind,
          registeredAt: iso(c.now),
          passwordHash: c.passwordHash,
          securityAnswerHash: c.securityAnswerHash,
          personal: {
            identifier: c.identifier,
            displayName: c.displayName,
            email: c.email,
            phone: c.phone,
            securityQuestion: c.securityQuestion,
            ...(c.administratorNid ? { administratorNid: c.administratorNid } : {}),
          },
        },
      },
      issued(c.accountId, c.challengeId, 'REGISTRATION', c.codeHash, c.now),
    ],
    outcome: { kind: 'CodeSent', challengeId: c.challengeId, channels: BOTH, expiresAt },
  };
}

function issued(
  accountId: string,
  challengeId: string,
  purpose: CodePurpose,
  codeHash: string,
  now: Date,
  channels: Channel[] = BOTH,
) {
  return {
    type: 'OtpIssued' as const,
    data: {
      accountId,
      challengeId,
      purpose,
      codeHash,
      channels,
      issuedAt: iso(now),
      expiresAt: later(now, CODE_TTL_MS),
    },
  };
}

type CodeCheck = { ok: true; events: AccountEvent[] } | { ok: false; decision: AccountDecision };

/** The one place a code is judged: once, within 10 minutes, fewer than 5 wrong tries, right purpose. */
export function checkCode(
  state: AccountState,
  challengeId: string,
  codeHash: string,
  purpose: CodePurpose,
  now: Date,
): CodeCheck {
  const challenge = state.challenges[challengeId];
  const reject = (reason: CodeRejection, attemptsLeft: number, events: AccountEvent[] = []): CodeCheck => ({
    ok: false,
    decision: { events, outcome: { kind: 'CodeRejected', reason, attemptsLeft } },
  });
  if (!challenge || challenge.purpose !== purpose || state.accountId === null) return reject('INVALID', 0);
  const left = MAX_WRONG_CODES - challenge.wrongTries;
  if (challenge.status === 'USED') return reject('ALREADY_USED', 0);
  if (left <= 0) return reject('TOO_MANY_ATTEMPTS', 0);
  if (challenge.status === 'VOIDED' || now.getTime() >= Date.parse(challenge.expiresAt))
    return reject('EXPIRED', 0);
  if (challenge.codeHash !== codeHash) {
    const wrongTries = challenge.wrongTries + 1;
    const rejected: AccountEvent = {
      type: 'OtpRejected',
      data: { accountId: state.accountId, challengeId, wrongTries, rejectedAt: iso(now) },
    };
    return wrongTries >= MAX_WRONG_CODES
      ? reject('TOO_MANY_ATTEMPTS', 0, [rejected])
      : reject('INVALID', MAX_WRONG_CODES - wrongTries, [rejected]);
  }
  return {
    ok: true,
    events: [
      { type: 'OtpVerified', data: { accountId: state.accountId, challengeId, verifiedAt: iso(now) } },
    ],
  };
}

export function sessionStart(
  accountId: string,
  sessionId: string,
  now: Date,
  grantAdmin: boolean,
  hasAdmin: boolean,
) {
  const expiresAt = later(now, SESSION_ABSOLUTE_MS);
  const events: AccountEvent[] = [
    { type: 'SessionStarted', data: { accountId, sessionId, startedAt: iso(now), expiresAt } },
  ];
  // ADMIN_IDENTIFIERS: the grant is an event like any other, recorded the first time it applies.
  if (grantAdmin && !hasAdmin)
    events.push({
      type: 'RoleGranted',
      data: { accountId, role: 'ADMIN', institution: null, reason: 'ADMIN_IDENTIFIERS', grantedAt: iso(now) },
    });
  return { events, outcome: { kind: 'SessionStarted' as const, sessionId, expiresAt } };
}

function confirmRegistration(state: AccountState, c: Of<'ConfirmRegistration'>): AccountDecision {
  const lockedUntil = activeLock(state, c.now);
  if (lockedUntil && state.accountId !== null)
    return refusedWhileLocked(state.accountId, 'CONFIRM_REGISTRATION', lockedUntil, c.now);
  const check = checkCode(state, c.challengeId, c.codeHash, 'REGISTRATION', c.now);
  if (!check.ok) return check.decision;
  if (state.status !== 'PENDING' || state.accountId === null)
    return nothing({ kind: 'CodeRejected', reason: 'ALREADY_USED', attemptsLeft: 0 });
  const start = sessionStart(state.accountId, c.sessionId, c.now, c.grantAdmin, false);
  return {
    events: [
      ...check.events,
      {
        type: 'RegistrationConfirmed',
        data: {
          accountId: state.accountId,
          challengeId: c.challengeId,
          channels: BOTH,
          confirmedAt: iso(c.now),
        },
      },
      ...start.events,
    ],
    outcome: start.outcome,
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
  const otp = issued(c.accountId, c.challengeId, c.purpose, c.codeHash, c.now);
  return {
    events: [accepted, otp],
    outcome: { kind: 'CodeSent', challengeId: c.challengeId, channels: BOTH, expiresAt: otp.data.expiresAt },
  };
}

/**
 * Wrong codes across challenges: the one that makes WRONG_CODES_BEFORE_LOCK within the window is
 * appended together with the lock it causes, three hours from it, like the third wrong password.
 */
function lockOnWrongCodes(state: AccountState, rejection: AccountDecision, now: Date): AccountDecision {
  const wrong = rejection.events.find((e) => e.type === 'OtpRejected');
  if (!wrong || state.accountId === null) return rejection;
  const since = now.getTime() - WRONG_CODES_WINDOW_MS;
  const recent = state.guard.wrongCodesAt.filter((at) => Date.parse(at) > since).length + 1;
  if (recent < WRONG_CODES_BEFORE_LOCK) return rejection;
  const lockedUntil = later(now, LOCK_MS);
  return {
    events: [
      ...rejection.events,
      {
        type: 'AccountLocked',
        data: {
          accountId: state.accountId,
          lockedAt: iso(now),
          lockedUntil,
          reason: 'TOO_MANY_WRONG_CODES',
        },
      },
    ],
    outcome: { kind: 'Locked', lockedUntil },
  };
}

function completeSignIn(state: AccountState, c: Of<'CompleteSignIn'>): AccountDecision {
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

function resendCode(state: AccountState, c: Of<'ResendCode'>): AccountDecision {
  const challenge = state.challenges[c.challengeId];
  const rejected = (reason: CodeRejection) => nothing({ kind: 'CodeRejected', reason, attemptsLeft: 0 });
  if (!challenge || state.accountId === null) return rejected('INVALID');
  if (challenge.status === 'USED') return rejected('ALREADY_USED');
  if (challenge.wrongTries >= MAX_WRONG_CODES) return rejected('TOO_MANY_ATTEMPTS');
  // A recovery's code is resent only while that recovery is the newest one.
  if (challenge.purpose === 'RECOVERY' && state.recovery?.recoveryId !== c.challengeId)
    return rejected('EXPIRED');
  // While locked no code goes out (but recovery stays open during a lock); an expired challenge means
  // starting again.
  if (
    challenge.status === 'VOIDED' ||
    c.now.getTime() >= Date.parse(challenge.expiresAt) ||
    (challenge.purpose !== 'RECOVERY' &&
      challenge.purpose !== 'TEMPORARY_SIGN_IN' &&
      activeLock(state, c.now))
  )
    return rejected('EXPIRED');
  // Resent on the challenge's own channels: a contact change's code goes only to the new contacts.
  const otp = issued(
    state.accountId,
    c.challengeId,
    challenge.purpose,
    c.codeHash,
    c.now,
    challenge.channels,
  );
  return {
    events: [otp],
    outcome: {
      kind: 'CodeSent',
      challengeId: c.challengeId,
      channels: challenge.channels,
      expiresAt: otp.data.expiresAt,
    },
  };
}

function endSession(state: AccountState, c: Of<'EndSession'>): AccountDecision {
  if (state.status !== 'ACTIVE' || !state.sessions[c.sessionId] || state.accountId === null)
    return nothing({ kind: 'SessionEnded', ended: false });
  return {
    events: [
      {
        type: 'SessionEnded',
        data: { accountId: state.accountId, sessionId: c.sessionId, reason: c.reason, endedAt: iso(c.now) },
      },
    ],
    outcome: { kind: 'SessionEnded', ended: true },
  };
}

function changePassword(state: AccountState, c: Of<'ChangePassword'>): AccountDecision {
  // No code is judged during a lock, or guesses would go on while wrong codes keep the account locked.
  const lockedUntil = activeLock(state, c.now);
  if (lockedUntil) return nothing({ kind: 'Locked', lockedUntil });
  const check = checkCode(state, c.challengeId, c.codeHash, 'PASSWORD_CHANGE', c.now);
  if (!check.ok) return lockOnWrongCodes(state, check.decision, c.now);
  if (state.status !== 'ACTIVE' || state.accountId === null)
    return nothing({ kind: 'CodeRejected', reason: 'INVALID', attemptsLeft: 0 });
  const accountId = state.accountId;
  const others = Object.keys(state.sessions).filter((id) => id !== c.keepSessionId);
  return {
    events: [
      ...check.events,
      { type: 'PasswordChanged', data: { accountId, passwordHash: c.passwordHash, changedAt: iso(c.now) } },
      ...others.map(
        (sessionId): AccountEvent => ({
          type: 'SessionEnded',
          data: { accountId, sessionId, reason: 'PASSWORD_CHANGED', endedAt: iso(c.now) },
        }),
      ),
    ],
    outcome: { kind: 'PasswordChanged', endedSessions: others },
  };
}

function grantRole(state: AccountState, c: Of<'GrantRole'>): AccountDecision {
  if (state.status !== 'ACTIVE' || state.accountId === null)
    return nothing({ kind: 'RoleRefused', field: 'identifier', code: 'NOT_REGISTERED' });
  if (c.role === 'CASEWORKER' && !c.institution)
    return nothing({ kind: 'RoleRefused', field: 'institution', code: 'REQUIRED' });
  const institution = c.role === 'CASEWORKER' ? c.institution : null;
  if (state.roles.some((r) => r.role === c.role && r.institution === institution))
    return nothing({ kind: 'RoleChanged' });
  return {
    events: [
      {
        type: 'RoleGranted',
        data: {
          accountId: state.accountId,
          role: c.role,
          institution,
          reason: c.reason,
          grantedAt: iso(c.now),
        },
      },
    ],
    outcome: { kind: 'RoleChanged' },
  };
}

function revokeRole(state: AccountState, c: Of<'RevokeRole'>): AccountDecision {
  if (state.status !== 'ACTIVE' || state.accountId === null)
    return nothing({ kind: 'RoleRefused', field: 'identifier', code: 'NOT_REGISTERED' });
  if (!state.roles.some((r) => r.role === c.role))
    return nothing({ kind: 'RoleRefused', field: 'role', code: 'NOT_HELD' });
  return {
    events: [
      {
        type: 'RoleRevoked',
        data: { accountId: state.accountId, role: c.role, reason: c.reason, revokedAt: iso(c.now) },
      },
    ],
    outcome: { kind: 'RoleChanged' },
  };
}
