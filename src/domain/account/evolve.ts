import type { AccountEvent } from './events.js';
import { afterPasswordChange, evolveRecovery, type RecoveryPartEvent } from './evolve-recovery.js';
import { CHALLENGES_KEPT, WRONG_CODES_BEFORE_LOCK } from './rules.js';
import {
  type AccountState,
  type Challenge,
  freshGuard,
  GUARDED_CODE_PURPOSES,
  keptFrom,
  noRecovery,
  table,
} from './state.js';

/** Pure and non-mutating: the command handler caches folds, so a state is never changed in place. */
export function evolve(state: AccountState, event: AccountEvent): AccountState {
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
      return evolveRecovery(state, event satisfies RecoveryPartEvent);
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
