import type { AccountKind, Channel, CodePurpose, GrantableRole, LockReason } from './events.js';

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
export function table<T>(): Record<string, T> {
  return Object.create(null) as Record<string, T>;
}

/** A new table with the entries of `source` that `keep` keeps. */
export function keptFrom<T>(
  source: Record<string, T>,
  keep: (id: string, entry: T) => boolean,
): Record<string, T> {
  const kept = table<T>();
  for (const id in source) {
    const entry = source[id]!;
    if (keep(id, entry)) kept[id] = entry;
  }
  return kept;
}

export const freshGuard = (): Guard => ({
  countedFailures: 0,
  lockedUntil: null,
  lockReason: null,
  wrongCodesAt: [],
});

/** The recovery in progress; a newer RecoveryStarted replaces it, so an older recovery no longer works. */
export interface Recovery {
  recoveryId: string;
  /** CODE_SENT -> CODE_VERIFIED -> DONE (a temporary password went out) | FAILED (3 wrong answers/e-mails). */
  stage: 'CODE_SENT' | 'CODE_VERIFIED' | 'DONE' | 'FAILED';
  wrongAttempts: number;
  expiresAt: string;
}

/** The latest temporary password; a newer one replaces it, a password change removes it. */
export interface TemporaryPassword {
  temporaryPasswordId: string;
  passwordHash: string;
  requiresSecurityQuestion: boolean;
  expiresAt: string;
  wrongTries: number;
  status: 'OPEN' | 'USED' | 'VOIDED';
}

/** What a change token (after a temporary password and its code) allows: one setNewPassword. */
export interface ChangeGrant {
  changeTokenHash: string;
  requiresSecurityQuestion: boolean;
  expiresAt: string;
  status: 'OPEN' | 'USED';
}

export interface PendingContactChange {
  challengeId: string;
  email?: string;
  phone?: string;
}

/** The recovery part of every account fold (and of attempts streams, which hold decoy recoveries). */
export interface RecoveryPart {
  recovery: Recovery | null;
  temporaryPassword: TemporaryPassword | null;
  changeGrant: ChangeGrant | null;
  contactChange: PendingContactChange | null;
  /** When a ContactChanged last replaced the e-mail: the e-mail branch of recovery pauses after it. */
  emailChangedAt: string | null;
}

export const noRecovery = (): RecoveryPart => ({
  recovery: null,
  temporaryPassword: null,
  changeGrant: null,
  contactChange: null,
  emailChangedAt: null,
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

export const initialState = (): AccountState => ({
  status: 'NONE',
  accountId: null,
  guard: freshGuard(),
  challenges: table(),
  ...noRecovery(),
});

/** The lock in force at `now`, or null: a lock is a state with an end, it expires by itself. */
export function activeLock(state: AccountState, now: Date): string | null {
  const until = state.guard.lockedUntil;
  return until !== null && now.getTime() < Date.parse(until) ? until : null;
}
