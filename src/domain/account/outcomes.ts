import type { Decision } from '../shared/decider.js';
import type { AccountEvent } from './events.js';
import type { Channel } from './terms.js';

export type CodeRejection = 'INVALID' | 'EXPIRED' | 'TOO_MANY_ATTEMPTS' | 'ALREADY_USED';

export type RecoveryNext = 'ENTER_CODE' | 'ANSWER_SECURITY_QUESTION' | 'SIGN_IN_WITH_TEMPORARY_PASSWORD';

/** What the caller of an account command learns; the api maps each to the schema's answer. */
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

export type AccountDecision = Decision<AccountEvent, AccountOutcome>;
