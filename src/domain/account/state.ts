import type { AccountEvent, AccountKind, Channel, CodePurpose, GrantableRole, LockReason } from './events.js';
import type { RecoveryEvent } from './recovery-events.js';
import { afterPasswordChange, evolveRecovery, noRecovery, type RecoveryPart } from './recovery-state.js';
import { CHALLENGES_KEPT, WRONG_CODES_BEFORE_LOCK } from './rules.js';

export interface Challenge {
  challengeId: string;
  purpose: CodePurpose;
  codeHash: string;
  channels: Channel[];
  issuedAt: string;
  expiresAt: string;
  wrongTries: number;
  /** OPEN until the right code (USED) or a re-issue for another challenge of the same purpose (VOIDED). */
  status: 'OPEN' | 'USED' | 'VOIDED';
}

export interface GrantedRole {
  role: GrantableRole;
  institution: string | null;
}

export interface Profile {
  kind: AccountKind;
  identifier: string;
  displayName: string;
  email: string;
  phone: string;
  securityQuestion: string;
  passwordHash: string;
  securityAnswerHash: string;
  registeredAt: string;
  registrationChallengeId: string;
}

/** What the sign-in path needs from the stream: lock and failures are computed with the clock on top. */
export interface Guard {
  /** Wrong passwords counted since the last accepted password, the end of the last lock or a change. */
  countedFailures: number;
  lockedUntil: string | null;
  /** Why the last lock started (its failures are spent once it ends). */
  lockReason: LockReason | null;
  /**
   * When the latest wrong sign-in and password-change codes were typed (at most WRONG_CODES_BEFORE_LOCK,
   * over every challenge), since the last password change or helpdesk unlock. A lock does not clear
   * them: once it ends, one more wrong code within the window locks again.
   */
  wrongCodesAt: string[];
}

/** Codes whose wrong guesses count toward the account's lock: those only a password holder can ask for. */
export const GUARDED_CODE_PURPOSES: readonly CodePurpose[] = ['SIGN_IN', 'PASSWORD_CHANGE'];

/**
 * The fold's tables keyed by ids (challenges, sessions) are null-prototype objects: V8 keeps those as
 * hash tables from the start, where an object literal grows a new hidden class for every new id it
 * meets, and every sign-in brings two new ids (`npm run bench -- account-fold`: 41 -> 17 us a sign-in).
 */
function table<T>(): Record<string, T> {
  return Object.create(null) as Record<string, T>;
}

/** A new table with the entries of `source` that `keep` keeps. */
function keptFrom<T>(source: Record<string, T>, keep: (id: string, entry: T) => boolean): Record<string, T> {
  const kept = table<T>();
  for (const id in source) {
    const entry = source[id]!;
    if (keep(id, entry)) kept[id] = entry;
  }
  return kept;
}

const freshGuard = (): Guard => ({
  countedFailures: 0,
  lockedUntil: null,
  lockReason: null,
  wrongCodesAt: [],
});

interface Common extends RecoveryPart {
  accountId: string | null;
  guard: Guard;
  challenges: Record<string, Challenge>;
}

/**
 * One account's fold. NONE is also the state of an `attempts-` stream (an identifier without an
 * account), which only has a guard. PENDING: registered, contacts not yet proven by the code.
 */
export type AccountState =
  | ({ status: 'NONE' } & Common)
  | ({ status: 'PENDING'; profile: Profile } & Common)
  | ({
      status: 'ACTIVE';
      profile: Profile;
      roles: GrantedRole[];
      sessions: Record<string, { startedAt: string; expiresAt: string }>;
      lastSignInAt: string | null;
    } & Common);

export type ActiveAccount = Extract<AccountState, { status: 'ACTIVE' }>;

export const initialAccountState = (): AccountState => ({
  status: 'NONE',
  accountId: null,
  guard: freshGuard(),
  challenges: table(),
  ...noRecovery(),
});

/** Pure and non-mutating: the command handler caches folds, so a state is never changed in place. */
export function evolveAccount(state: AccountState, event: AccountEvent): AccountState {
  switch (event.type) {
    case 'AccountRegistered': {
      // An ACTIVE account stays ACTIVE (the decider refuses to register over it; the sign-in routing
      // relies on it): a registration over one, were it ever recorded, changes nothing.
      if (state.status === 'ACTIVE') return state;
      const { data } = event;
      return {
        status: 'PENDING',
        accountId: data.accountId,
        // A new registration starts from a clean slate: the previous pending one's code is void.
        guard: freshGuard(),
        challenges: table(),
        ...noRecovery(),
        profile: {
          kind: data.kind,
          identifier: data.personal.identifier,
          displayName: data.personal.displayName,
          email: data.personal.email,
          phone: data.personal.phone,
          securityQuestion: data.personal.securityQuestion,
          passwordHash: data.passwordHash,
          securityAnswerHash: data.securityAnswerHash,
          registeredAt: data.registeredAt,
          registrationChallengeId: '',
        },
      };
    }
    case 'RegistrationConfirmed':
      if (state.status !== 'PENDING') return state;
      return { ...state, status: 'ACTIVE', roles: [], sessions: table(), lastSignInAt: null };
    case 'OtpIssued': {
      const { data } = event;
      const challenges = table<Challenge>();
      const kept = Object.values(state.challenges).slice(-(CHALLENGES_KEPT - 1));
      for (const c of kept)
        challenges[c.challengeId] =
          c.purpose === data.purpose && c.status === 'OPEN' && c.challengeId !== data.challengeId
            ? { ...c, status: 'VOIDED' }
            : c;
      // Same challenge id again (resendCode): a new code and a fresh expiry; tries carry over.
      const previous = state.challenges[data.challengeId];
      challenges[data.challengeId] = {
        challengeId: data.challengeId,
        purpose: data.purpose,
        codeHash: data.codeHash,
        channels: data.channels,
        issuedAt: data.issuedAt,
        expiresAt: data.expiresAt,
        wrongTries: previous?.wrongTries ?? 0,
        status: 'OPEN',
      };
      const withChallenges = { ...state, challenges };
      if (withChallenges.status === 'PENDING' && data.purpose === 'REGISTRATION')
        return {
          ...withChallenges,
          profile: { ...withChallenges.profile, registrationChallengeId: data.challengeId },
        };
      return withChallenges;
    }
    case 'OtpRejected': {
      const updated = updateChallenge(state, event.data.challengeId, (c) => ({
        ...c,
        wrongTries: event.data.wrongTries,
      }));
      const purpose = state.challenges[event.data.challengeId]?.purpose;
      if (purpose === undefined || !GUARDED_CODE_PURPOSES.includes(purpose)) return updated;
      const wrongCodesAt = [...state.guard.wrongCodesAt, event.data.rejectedAt].slice(
        -WRONG_CODES_BEFORE_LOCK,
      );
      return { ...updated, guard: { ...state.guard, wrongCodesAt } };
    }
    case 'OtpVerified':
      return updateChallenge(state, event.data.challengeId, (c) => ({ ...c, status: 'USED' }));
    case 'OtpDelivered':
    case 'OtpDeliveryFailed':
      return state;
    case 'PasswordAccepted':
      return { ...state, guard: { ...state.guard, countedFailures: 0 } };
    case 'PasswordRejected':
      return {
        ...state,
        accountId: state.accountId ?? event.data.accountId,
        guard: { ...state.guard, countedFailures: event.data.countedFailures },
      };
    case 'AccountLocked':
      // The failures that led here are spent: counting starts again when the lock ends.
      return {
        ...state,
        guard: {
          ...state.guard,
          countedFailures: 0,
          lockedUntil: event.data.lockedUntil,
          // Locks recorded before codes could lock carry no reason: they were wrong passwords.
          lockReason: event.data.reason ?? 'TOO_MANY_WRONG_PASSWORDS',
        },
      };
    case 'SignInRefused':
      // Refused during a lock: recorded, never counted.
      return state;
    case 'AccountUnlocked':
      return { ...state, guard: freshGuard() };
    case 'PasswordChanged':
      if (state.status === 'NONE') return state;
      // Setting a password ends the lock, and the temporary password and change token stop working.
      // Every open challenge is void too: a sign-in started with the old password (or any code sent
      // before) must not complete after the change; it answers EXPIRED, as a superseded code does.
      return {
        ...state,
        ...afterPasswordChange(state),
        challenges: voidOpenChallenges(state.challenges),
        guard: freshGuard(),
        profile: { ...state.profile, passwordHash: event.data.passwordHash },
      };
    case 'SessionStarted': {
      if (state.status !== 'ACTIVE') return state;
      const { sessionId, startedAt, expiresAt } = event.data;
      // Sessions past their absolute end are dropped here, so the fold does not grow with every sign-in.
      const sessions = keptFrom(state.sessions, (_id, session) => session.expiresAt > startedAt);
      sessions[sessionId] = { startedAt, expiresAt };
      return { ...state, sessions, lastSignInAt: startedAt };
    }
    case 'SessionEnded': {
      if (state.status !== 'ACTIVE') return state;
      const sessions = keptFrom(state.sessions, (id) => id !== event.data.sessionId);
      return { ...state, sessions };
    }
    case 'RoleGranted': {
      if (state.status !== 'ACTIVE') return state;
      const roles = state.roles.filter((r) => r.role !== event.data.role);
      return { ...state, roles: [...roles, { role: event.data.role, institution: event.data.institution }] };
    }
    case 'RoleRevoked':
      if (state.status !== 'ACTIVE') return state;
      return { ...state, roles: state.roles.filter((r) => r.role !== event.data.role) };
    case 'RecoveryStarted':
    case 'RecoveryCodeVerified':
    case 'SecurityAnswerAccepted':
    case 'SecurityAnswerRejected':
    case 'RecoveryEmailConfirmed':
    case 'RecoveryEmailRejected':
    case 'RecoveryFailed':
    case 'TemporaryPasswordIssued':
    case 'TemporaryPasswordAccepted':
    case 'TemporaryPasswordRejected':
    case 'TemporaryPasswordVoided':
    case 'TemporaryPasswordUsed':
    case 'PasswordChangeAuthorised':
    case 'SecurityQuestionSet':
    case 'ContactChangeStarted':
    case 'ContactChanged':
      return evolveRecovery(state, event satisfies RecoveryEvent);
    default: {
      // Events of a newer schema than this code knows leave the fold as it is.
      const unexpected: never = event;
      void unexpected;
      return state;
    }
  }
}

function voidOpenChallenges(challenges: Record<string, Challenge>): Record<string, Challenge> {
  const voided = table<Challenge>();
  for (const [id, c] of Object.entries(challenges))
    voided[id] = c.status === 'OPEN' ? { ...c, status: 'VOIDED' } : c;
  return voided;
}

function updateChallenge(
  state: AccountState,
  challengeId: string,
  change: (challenge: Challenge) => Challenge,
): AccountState {
  const challenge = state.challenges[challengeId];
  if (!challenge) return state;
  const challenges = keptFrom(state.challenges, () => true);
  challenges[challengeId] = change(challenge);
  return { ...state, challenges };
}

/** The lock in force at `now`, or null: a lock is a state with an end, it expires by itself. */
export function activeLock(state: AccountState, now: Date): string | null {
  const until = state.guard.lockedUntil;
  return until !== null && now.getTime() < Date.parse(until) ? until : null;
}
