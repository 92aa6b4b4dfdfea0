import { checkCode, codeStillValid, otpIssued } from './codes.js';
import type { AccountCommand } from './commands.js';
import { BOTH, iso, later, nothing } from './decision-parts.js';
import type { AccountDecision } from './outcomes.js';
import { CODE_TTL_MS } from './rules.js';
import { sessionStart } from './sessions.js';
import { refusedWhileLocked, unknownChallenge } from './sign-in.js';
import { type AccountState, activeLock } from './state.js';

type Of<T extends AccountCommand['type']> = Extract<AccountCommand, { type: T }>;

export function register(state: AccountState, c: Of<'RegisterAccount'>): AccountDecision {
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
      otpIssued(c.accountId, c.challengeId, 'REGISTRATION', c.codeHash, c.now),
    ],
    outcome: { kind: 'CodeSent', challengeId: c.challengeId, channels: BOTH, expiresAt },
  };
}

export function confirmRegistration(state: AccountState, c: Of<'ConfirmRegistration'>): AccountDecision {
  // As completeLogin: an id never issued for a registration says nothing of a lock (see completeSignIn).
  if (state.challenges[c.challengeId]?.purpose !== 'REGISTRATION') return unknownChallenge();
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

/** The person signed in when a business is registered: kind and personal number of their account. */
export interface RegistrantSession {
  kind: 'CITIZEN' | 'BUSINESS';
  identifier: string;
}

/**
 * Who may register a business: the administrator the business registry names, signed in to their own
 * citizen account (whose registration proved their ID card). Public data alone (a NIPT and the NID the
 * registry shows) proves nothing, and would let anyone squat a business's account with their own
 * contacts. The registry's answer is the one read at this moment, not one remembered from earlier.
 */
export function businessRegistrant(
  session: RegistrantSession | null,
  administratorNid: string,
  registryAdministratorNid: string,
): 'ADMINISTRATOR' | 'SIGN_IN_REQUIRED' | 'NOT_ADMINISTRATOR' {
  if (session?.kind !== 'CITIZEN' || session.identifier !== administratorNid) return 'SIGN_IN_REQUIRED';
  if (registryAdministratorNid.toUpperCase() !== administratorNid) return 'NOT_ADMINISTRATOR';
  return 'ADMINISTRATOR';
}
