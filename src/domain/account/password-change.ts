import { checkCode, codeStillValid, lockOnWrongCodes } from './codes.js';
import type { AccountCommand } from './commands.js';
import { codeRejected, iso, nothing } from './decision-parts.js';
import type { AccountEvent } from './events.js';
import type { AccountDecision } from './outcomes.js';
import { sessionStart } from './sessions.js';
import { refusedWhileLocked } from './sign-in.js';
import { type AccountState, activeLock } from './state.js';
import { changeTokenRejection } from './temporary-password.js';

type Of<T extends AccountCommand['type']> = Extract<AccountCommand, { type: T }>;

/**
 * Whether completing a password change with this code would succeed: the handler asks before it hashes
 * the new password, so a made-up challenge or a wrong code costs no argon2 work. The decider judges
 * again (and records a wrong code) either way.
 */
export function passwordChangeCodeMatches(
  state: AccountState,
  challengeId: string,
  codeHash: string,
  now: Date,
): boolean {
  const challenge = state.challenges[challengeId];
  return (
    state.status === 'ACTIVE' &&
    !activeLock(state, now) &&
    challenge?.purpose === 'PASSWORD_CHANGE' &&
    codeStillValid(challenge, now) &&
    challenge.codeHash === codeHash
  );
}

export function changePassword(state: AccountState, c: Of<'ChangePassword'>): AccountDecision {
  // No code is judged during a lock, or guesses would go on while wrong codes keep the account locked;
  // the attempt is recorded all the same, as every attempt at a step of signing in is.
  const lockedUntil = activeLock(state, c.now);
  if (lockedUntil && state.accountId !== null)
    return refusedWhileLocked(state.accountId, 'COMPLETE_PASSWORD_CHANGE', lockedUntil, c.now);
  // The handler hashed nothing (it saw a refusal coming): a code that matches after all (it changed in
  // between) is not used up, and the person simply tries again.
  if (c.passwordHash === null && passwordChangeCodeMatches(state, c.challengeId, c.codeHash, c.now))
    return nothing({ kind: 'CodeRejected', reason: 'INVALID', attemptsLeft: 0 });
  const check = checkCode(state, c.challengeId, c.codeHash, 'PASSWORD_CHANGE', c.now);
  if (!check.ok) return lockOnWrongCodes(state, check.decision, c.now);
  if (state.status !== 'ACTIVE' || state.accountId === null || c.passwordHash === null)
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

/**
 * The new password (judged and hashed by the handler first) with a change token: ends the lock, every
 * older session, and the temporary password; starts a new session.
 */
export function setNewPassword(state: AccountState, c: Of<'SetNewPassword'>): AccountDecision {
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
