import { accountModel } from '../../domain/account/decide.js';
import { passwordChangeCodeMatches } from '../../domain/account/password-change.js';
import { judgePassword } from '../../domain/account/password-policy.js';
import { accountStream } from '../../domain/shared/streams.js';
import { tooManyRequests } from '../errors.js';
import type { Services } from '../services.js';
import type { Viewer } from '../viewer.js';
import { runAccountCommand } from './account-commands.js';
import { type Caller, personActor } from './caller.js';
import { accountIdOfChallenge, codeHash } from './codes.js';
import { isCommonPassword } from './common-passwords.js';
import { passwordWorkLimit } from './password-work.js';
import { sendNotice } from './recovery-notices.js';
import {
  accountView,
  type CodeRejectedResult,
  codeRejected,
  type PasswordRefused,
  type PasswordUpdated,
  passwordRefused,
  rateLimitedResult,
} from './results.js';
import { type LoginResult, passwordStep } from './sign-in.js';

export type SetPasswordResult = PasswordUpdated | PasswordRefused | CodeRejectedResult;

/** Signed in: the current password again (it counts toward the lock like any other), then a code. */
export async function startPasswordChange(
  services: Pick<
    Services,
    'clock' | 'commands' | 'config' | 'keys' | 'notifier' | 'passwords' | 'projections' | 'rateLimits'
  >,
  caller: Caller,
  viewer: Viewer,
  currentPassword: string,
): Promise<LoginResult> {
  // The current password is checked with argon2: within the account's budget, asked first.
  const limit = await passwordWorkLimit(services, viewer.accountId, services.clock.now());
  if (!limit.allowed) return rateLimitedResult(limit.retryAfterSeconds);
  return passwordStep(services, caller, {
    stream: accountStream(viewer.accountId),
    accountId: viewer.accountId,
    password: currentPassword,
    purpose: 'PASSWORD_CHANGE',
    actorAccountId: viewer.accountId,
  });
}

/**
 * The new password is judged first (a refusal uses up nothing), then the code, and only a right code
 * gets the new password hashed (within the account's argon2 budget).
 * Every other session ends; the caller's goes on.
 */
export async function completePasswordChange(
  services: Pick<
    Services,
    'clock' | 'commands' | 'keys' | 'notifier' | 'passwords' | 'projections' | 'rateLimits' | 'sessions'
  >,
  caller: Caller,
  viewer: Viewer,
  challengeId: string,
  code: string,
  newPassword: string,
): Promise<SetPasswordResult> {
  if (accountIdOfChallenge(challengeId) !== viewer.accountId) return codeRejected('INVALID', 0);
  const stream = accountStream(viewer.accountId);
  const { state } = await services.commands.load(stream, accountModel);
  if (state.status !== 'ACTIVE') return codeRejected('INVALID', 0);
  const refusals = judgePassword(newPassword, [state.profile.identifier], isCommonPassword);
  if (refusals.length > 0) return passwordRefused(refusals);
  const hash = codeHash(services.keys.codes, challengeId, code);
  // The challenge and its code before any argon2 work: a made-up challenge or a wrong code hashes
  // nothing (the decider still counts the wrong code); a right one spends the account's budget.
  let passwordHash: string | null = null;
  const now = services.clock.now();
  if (passwordChangeCodeMatches(state, challengeId, hash, now)) {
    const limit = await passwordWorkLimit(services, viewer.accountId, now);
    if (!limit.allowed) throw tooManyRequests(limit.retryAfterSeconds);
    passwordHash = await services.passwords.hash(newPassword);
  }
  const run = await runAccountCommand(services, stream, caller.meta(personActor(viewer.accountId)), () => ({
    type: 'ChangePassword',
    challengeId,
    codeHash: hash,
    passwordHash,
    keepSessionId: viewer.sessionId,
    now: services.clock.now(),
  }));
  const { outcome } = run;
  if (outcome.kind === 'CodeRejected') return codeRejected(outcome.reason, outcome.attemptsLeft);
  // SetPasswordResult has no lock member: during a lock (or the wrong code that caused one) no code is
  // worth anything until it ends.
  if (outcome.kind === 'Locked') return codeRejected('TOO_MANY_ATTEMPTS', 0);
  if (outcome.kind !== 'PasswordChanged')
    throw new Error(`unexpected password change outcome ${outcome.kind}`);
  await services.sessions.endAllOf(viewer.accountId, viewer.sessionId);
  const { after } = run;
  if (after.status !== 'ACTIVE') throw new Error('password changed on an inactive account');
  // Every password change is told to the phone and the mailbox (no secret in it).
  sendNotice(services, {
    accountId: viewer.accountId,
    kind: 'PASSWORD_CHANGED',
    lang: caller.lang,
    to: { phones: [after.profile.phone], emails: [after.profile.email] },
    correlationId: caller.meta().correlationId,
  });
  return { kind: 'PasswordUpdated', account: accountView(after), session: null };
}
