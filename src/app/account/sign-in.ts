import { accountModel } from '../../domain/account/decide.js';
import { type AccountState, activeLock, type Challenge } from '../../domain/account/state.js';
import { outstandingTemporaryPassword } from '../../domain/account/temporary-password.js';
import { normaliseIdentifier } from '../../domain/identity/identifiers.js';
import { accountStream, attemptsStream } from '../../domain/shared/streams.js';
import type { Services } from '../services.js';
import type { Viewer } from '../viewer.js';
import { runAccountCommand } from './account-commands.js';
import { accountIdFor } from './account-id.js';
import { type Caller, personActor } from './caller.js';
import {
  freshChallenge,
  type LimitVerdict,
  newContactsLimit,
  provenContactsLimit,
  recoveryStartLimit,
  sendCode,
  signInLimit,
} from './code-sending.js';
import { accountIdOfChallenge, codeHash, newCode } from './codes.js';
import { freshChangeToken, temporaryPasswordHash } from './recovery-secrets.js';
import {
  type AccountLockedResult,
  accountLocked,
  type CodeRejectedResult,
  codeRejected,
  type LoginRejected,
  loginRejected,
  type OtpSent,
  otpSent,
  type RateLimitedResult,
  rateLimitedResult,
  type SessionStartedResult,
} from './results.js';
import { freshSession, isAdminIdentifier, openSession } from './session-start.js';
import { codeMessages } from './texts.js';

export type LoginResult = OtpSent | LoginRejected | AccountLockedResult | RateLimitedResult;
export type PasswordChangeRequired = {
  kind: 'PasswordChangeRequired';
  changeToken: string;
  expiresAt: string;
  requiresSecurityQuestion: boolean;
};
export type CompleteLoginResult =
  | SessionStartedResult
  | PasswordChangeRequired
  | CodeRejectedResult
  | AccountLockedResult;
export type ResendResult = OtpSent | RateLimitedResult | CodeRejectedResult;

/**
 * startLogin: identifier + password. Unknown identifiers (and registrations not yet confirmed) go
 * through the same three-strikes rule on their own attempts stream, with a dummy argon2 verify, and
 * get the same answers.
 */
export async function startLogin(
  services: Pick<
    Services,
    'clock' | 'commands' | 'config' | 'keys' | 'notifier' | 'passwords' | 'projections' | 'rateLimits'
  >,
  caller: Caller,
  identifier: string,
  password: string,
): Promise<LoginResult> {
  const limit = await signInLimit(services, caller.ip);
  if (!limit.allowed) return rateLimitedResult(limit.retryAfterSeconds);
  const accountId = accountIdFor(services.keys.streamNames, normaliseIdentifier(identifier));
  // An account once ACTIVE stays so, so a fold seen ACTIVE needs no fresh read to route the attempt.
  const home = accountStream(accountId);
  const active =
    services.commands.lastSeen(home, accountModel)?.state.status === 'ACTIVE' ||
    (await services.commands.load(home, accountModel)).state.status === 'ACTIVE';
  const stream = active ? home : attemptsStream(accountId);
  return passwordStep(services, caller, { stream, accountId, password, purpose: 'SIGN_IN' });
}

/** The password check shared by sign-in and the start of a password change. */
export async function passwordStep(
  services: Pick<
    Services,
    'clock' | 'commands' | 'config' | 'keys' | 'notifier' | 'passwords' | 'projections' | 'rateLimits'
  >,
  caller: Caller,
  step: {
    stream: string;
    accountId: string;
    password: string;
    purpose: 'SIGN_IN' | 'PASSWORD_CHANGE';
    actorAccountId?: string;
  },
): Promise<LoginResult> {
  const challenge = freshChallenge(services, step.accountId);
  // argon2 runs at most once per password hash in this command, even if a conflict makes it decide again.
  const verdicts = new Map<string, Promise<boolean>>();
  let codeLimit: Promise<LimitVerdict> | undefined;
  const run = await runAccountCommand(
    services,
    step.stream,
    caller.meta(step.actorAccountId ? personActor(step.actorAccountId) : undefined),
    async ({ state }) => {
      const now = services.clock.now();
      let passwordMatches = false;
      let limit: LimitVerdict = { allowed: true };
      // A temporary password is judged even during a lock: a cheap keyed hash, no argon2.
      const temporary = step.purpose === 'SIGN_IN' ? outstandingTemporaryPassword(state, now) : null;
      const temporaryHash = temporary
        ? temporaryPasswordHash(services.keys.codes, temporary.temporaryPasswordId, step.password)
        : undefined;
      if (temporary && temporaryHash === temporary.passwordHash && state.status === 'ACTIVE') {
        codeLimit ??= provenContactsLimit(services, step.accountId, 'SIGN_IN', now);
        limit = await codeLimit;
      }
      // While locked, no password is verified at all.
      if (!activeLock(state, now)) {
        const key = state.status === 'ACTIVE' ? state.profile.passwordHash : '';
        let verdict = verdicts.get(key);
        if (!verdict) {
          verdict =
            state.status === 'ACTIVE'
              ? services.passwords.verify(state.profile.passwordHash, step.password)
              : services.passwords.dummyVerify(step.password);
          verdicts.set(key, verdict);
        }
        passwordMatches = await verdict;
        if (passwordMatches && state.status === 'ACTIVE') {
          codeLimit ??= provenContactsLimit(services, step.accountId, 'SIGN_IN', now);
          limit = await codeLimit;
        }
      }
      return {
        type: 'StartSignIn',
        accountId: step.accountId,
        purpose: step.purpose,
        passwordMatches,
        codeLimit: limit,
        challengeId: challenge.challengeId,
        codeHash: challenge.codeHash,
        ...(temporaryHash ? { temporaryPasswordHash: temporaryHash } : {}),
        now,
      };
    },
  );
  const { outcome, before } = run;
  switch (outcome.kind) {
    case 'CodeSent': {
      if (before.status !== 'ACTIVE') throw new Error('a code for an inactive account');
      sendCode(services, {
        stream: step.stream,
        accountId: step.accountId,
        challengeId: challenge.challengeId,
        code: challenge.code,
        // After a temporary password the code is of purpose TEMPORARY_SIGN_IN.
        purpose: run.events.find((e) => e.type === 'OtpIssued')?.data.purpose ?? step.purpose,
        lang: caller.lang,
        to: before.profile,
        correlationId: caller.meta().correlationId,
      });
      return otpSent(outcome.challengeId, outcome.expiresAt, before.profile);
    }
    case 'Locked':
      return accountLocked(outcome.lockedUntil);
    case 'RateLimited':
      return rateLimitedResult(outcome.retryAfterSeconds);
    case 'SignInRejected':
      return loginRejected();
    default:
      throw new Error(`unexpected sign-in outcome ${outcome.kind}`);
  }
}

/** completeLogin: the code from the phone or the mailbox starts a session. */
export async function completeLogin(
  services: Pick<Services, 'clock' | 'commands' | 'config' | 'keys' | 'projections' | 'sessions'>,
  caller: Caller,
  challengeId: string,
  code: string,
): Promise<CompleteLoginResult> {
  const accountId = accountIdOfChallenge(challengeId);
  if (!accountId) return codeRejected('INVALID', 0);
  const session = freshSession(services);
  const change = freshChangeToken(services.keys.tokens, accountId);
  const hash = codeHash(services.keys.codes, challengeId, code);
  const run = await runAccountCommand(
    services,
    accountStream(accountId),
    caller.meta(personActor(accountId)),
    ({ state }) => ({
      type: 'CompleteSignIn',
      challengeId,
      codeHash: hash,
      sessionId: session.sessionId,
      grantAdmin: isAdminIdentifier(services, state),
      changeTokenHash: change.tokenHash,
      now: services.clock.now(),
    }),
  );
  const { outcome } = run;
  switch (outcome.kind) {
    case 'SessionStarted':
      return openSession(services, run.after, session, outcome.expiresAt);
    case 'PasswordChangeRequired':
      return {
        kind: 'PasswordChangeRequired',
        changeToken: change.token,
        expiresAt: outcome.expiresAt,
        requiresSecurityQuestion: outcome.requiresSecurityQuestion,
      };
    case 'CodeRejected':
      return codeRejected(outcome.reason, outcome.attemptsLeft);
    case 'Locked':
      return accountLocked(outcome.lockedUntil);
    default:
      throw new Error(`unexpected completeLogin outcome ${outcome.kind}`);
  }
}

const RESEND_PAUSE_MS = 30_000;

/** A new code for the same challenge (the old one stops working); throttled per challenge, account and destination. */
export async function resendCode(
  services: Pick<
    Services,
    'clock' | 'commands' | 'config' | 'keys' | 'notifier' | 'projections' | 'rateLimits'
  >,
  caller: Caller,
  challengeId: string,
): Promise<ResendResult> {
  const accountId = accountIdOfChallenge(challengeId);
  if (!accountId) return codeRejected('INVALID', 0);
  const stream = accountStream(accountId);
  const { state } = await services.commands.load(stream, accountModel);
  const challengeOf = state.challenges[challengeId];
  // A recovery's code is resent by resendRecoveryCode, which answers alike for identifiers without an
  // account (their recoveries live on the attempts stream, which this one never reads).
  if (state.status === 'NONE' || !challengeOf || challengeOf.purpose === 'RECOVERY')
    return codeRejected('INVALID', 0);
  const now = services.clock.now();
  const pause = await services.rateLimits.hit(`codes:resend:${challengeId}`, 1, RESEND_PAUSE_MS, now);
  if (!pause.allowed) return rateLimitedResult(pause.retryAfterSeconds);
  const target = resendTarget(state, challengeOf);
  if (!target) return codeRejected('INVALID', 0);
  const limit =
    target.unproven.length > 0
      ? await newContactsLimit(services, accountId, target.unproven, now)
      : target.budget === 'RECOVERY'
        ? await recoveryStartLimit(services, accountId, caller.ip, now)
        : await provenContactsLimit(services, accountId, target.budget, now);
  if (!limit.allowed) return rateLimitedResult(limit.retryAfterSeconds);
  const fresh = { code: newCode() };
  const hash = codeHash(services.keys.codes, challengeId, fresh.code);
  const run = await runAccountCommand(services, stream, caller.meta(), () => ({
    type: 'ResendCode',
    challengeId,
    codeHash: hash,
    now: services.clock.now(),
  }));
  const { outcome, before } = run;
  if (outcome.kind === 'CodeRejected') return codeRejected(outcome.reason, outcome.attemptsLeft);
  if (outcome.kind !== 'CodeSent' || before.status === 'NONE')
    throw new Error(`unexpected resend outcome ${outcome.kind}`);
  services.notifier.send({
    stream,
    accountId,
    challengeId,
    correlationId: caller.meta().correlationId,
    messages: codeMessages(caller.lang, challengeOf.purpose, fresh.code, target.to).filter((m) =>
      outcome.channels.includes(m.channel),
    ),
  });
  return otpSent(challengeId, outcome.expiresAt, target.to, outcome.channels);
}

/**
 * Where a resent code goes and which budget it draws on: a registration's contacts are not proven yet,
 * nor are a contact change's new ones (the code goes to them, never to the old ones); every other code
 * goes to the account's proven contacts. Null for a contact change that is no longer pending.
 */
function resendTarget(
  state: Exclude<AccountState, { status: 'NONE' }>,
  challenge: Challenge,
): { to: { phone: string; email: string }; unproven: string[]; budget: 'SIGN_IN' | 'RECOVERY' } | null {
  const { phone, email } = state.profile;
  switch (challenge.purpose) {
    case 'REGISTRATION':
      return { to: { phone, email }, unproven: [phone, email], budget: 'SIGN_IN' };
    case 'CONTACT_CHANGE': {
      const pending = state.contactChange;
      if (pending?.challengeId !== challenge.challengeId) return null;
      const to = { phone: pending.phone ?? phone, email: pending.email ?? email };
      const unproven = [...(pending.phone ? [pending.phone] : []), ...(pending.email ? [pending.email] : [])];
      return { to, unproven, budget: 'SIGN_IN' };
    }
    case 'RECOVERY':
      return { to: { phone, email }, unproven: [], budget: 'RECOVERY' };
    case 'SIGN_IN':
    case 'PASSWORD_CHANGE':
    case 'TEMPORARY_SIGN_IN':
      return { to: { phone, email }, unproven: [], budget: 'SIGN_IN' };
    default: {
      const unexpected: never = challenge.purpose;
      throw new Error(`no resend target for ${String(unexpected)}`);
    }
  }
}

/** Ends the caller's session, in the stream and in the session store. */
export async function logout(
  services: Pick<Services, 'clock' | 'commands' | 'projections' | 'sessions'>,
  caller: Caller,
  viewer: Viewer | null,
): Promise<boolean> {
  if (!viewer) return false;
  await runAccountCommand(
    services,
    accountStream(viewer.accountId),
    caller.meta(personActor(viewer.accountId)),
    () => ({
      type: 'EndSession',
      sessionId: viewer.sessionId,
      reason: 'LOGOUT',
      now: services.clock.now(),
    }),
  );
  await services.sessions.end(viewer.sessionId);
  return true;
}
