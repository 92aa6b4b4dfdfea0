import { accountModel } from '../../domain/account/decide.js';
import { judgePassword } from '../../domain/account/password-policy.js';
import { normaliseSecurityAnswer } from '../../domain/account/security-answer.js';
import { changeTokenRejection } from '../../domain/account/temporary-password.js';
import { accountStream } from '../../domain/shared/streams.js';
import { tooManyRequests } from '../errors.js';
import type { Services } from '../services.js';
import { runAccountCommand } from './account-commands.js';
import { type Caller, personActor } from './caller.js';
import { signInLimit } from './code-sending.js';
import { isCommonPassword } from './common-passwords.js';
import type { SetPasswordResult } from './password-change.js';
import { sendNotice } from './recovery-notices.js';
import { accountIdOfChangeToken, changeTokenHash } from './recovery-secrets.js';
import { accountView, codeRejected, type PasswordRefused, passwordRefused } from './results.js';
import { freshSession, isAdminIdentifier, openSession } from './session-start.js';

export interface NewPassword {
  changeToken: string;
  newPassword: string;
  securityQuestion?: string | null | undefined;
  securityAnswer?: string | null | undefined;
}

/**
 * After PasswordChangeRequired: the change token is checked first (from the stream), then the new
 * password (and, after the e-mail branch, a new security question) is judged, so a refusal uses up
 * neither the token nor anything else; only then is anything hashed, and the decider checks the token
 * again against the stream it appends to. Every older session ends, the lock ends, the temporary password stops working, a new
 * session starts, and the person is told by SMS and e-mail.
 */
export async function setNewPassword(
  services: Pick<
    Services,
    | 'clock'
    | 'commands'
    | 'config'
    | 'keys'
    | 'notifier'
    | 'passwords'
    | 'projections'
    | 'rateLimits'
    | 'sessions'
  >,
  caller: Caller,
  input: NewPassword,
): Promise<SetPasswordResult> {
  // Anyone can call this: the per-IP limit of sign-in first, so made-up tokens cost little and cannot
  // be tried without end.
  const limit = await signInLimit(services, caller.ip);
  // SetPasswordResult has no RateLimited member: a GraphQL error, as the helpdesk's.
  if (!limit.allowed) throw tooManyRequests(limit.retryAfterSeconds);
  const accountId = accountIdOfChangeToken(input.changeToken);
  if (!accountId) return codeRejected('INVALID', 0);
  const stream = accountStream(accountId);
  const tokenHash = changeTokenHash(services.keys.tokens, input.changeToken);
  const { state } = await services.commands.load(stream, accountModel);
  // The token before anything else: without it nothing is judged (which would tell whether the account
  // exists) and nothing is hashed (argon2 for anyone would be a denial of service).
  const rejection = changeTokenRejection(state, tokenHash, services.clock.now());
  if (rejection || state.status !== 'ACTIVE' || !state.changeGrant)
    return codeRejected(rejection ?? 'INVALID', 0);
  const codes: PasswordRefused['codes'] = judgePassword(
    input.newPassword,
    [state.profile.identifier],
    isCommonPassword,
  );
  const question = input.securityQuestion?.trim() ?? '';
  const answer = normaliseSecurityAnswer(input.securityAnswer ?? '');
  const partlyGiven = (question === '') !== (answer === '');
  if (partlyGiven || (state.changeGrant.requiresSecurityQuestion && (!question || !answer)))
    codes.push('QUESTION_REQUIRED');
  if (codes.length > 0) return passwordRefused(codes);
  const [passwordHash, answerHash] = await Promise.all([
    services.passwords.hash(input.newPassword),
    question ? services.passwords.hash(answer) : Promise.resolve(null),
  ]);
  const session = freshSession(services);
  const run = await runAccountCommand(services, stream, caller.meta(personActor(accountId)), ({ state }) => ({
    type: 'SetNewPassword',
    changeTokenHash: tokenHash,
    passwordHash,
    security: answerHash ? { question, answerHash } : null,
    sessionId: session.sessionId,
    grantAdmin: isAdminIdentifier(services, state),
    now: services.clock.now(),
  }));
  const { outcome } = run;
  switch (outcome.kind) {
    case 'CodeRejected':
      return codeRejected(outcome.reason, outcome.attemptsLeft);
    case 'QuestionRequired':
      return passwordRefused(['QUESTION_REQUIRED']);
    case 'PasswordReset': {
      // Every session that existed before ends in the store too; the new one is opened after.
      await services.sessions.endAllOf(accountId);
      const started = await openSession(services, run.after, session, outcome.expiresAt);
      const { after } = run;
      if (after.status !== 'ACTIVE') throw new Error('password set on an inactive account');
      sendNotice(services, {
        accountId,
        kind: 'PASSWORD_CHANGED',
        lang: caller.lang,
        to: { phones: [after.profile.phone], emails: [after.profile.email] },
        correlationId: caller.meta().correlationId,
      });
      return { kind: 'PasswordUpdated', account: accountView(after), session: started };
    }
    default:
      throw new Error(`unexpected setNewPassword outcome ${outcome.kind}`);
  }
}
