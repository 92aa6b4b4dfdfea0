import { accountModel } from '../../domain/account/decide.js';
import type { AccountOutcome, RecoveryNext } from '../../domain/account/outcomes.js';
import { normaliseSecurityAnswer } from '../../domain/account/security-answer.js';
import type { AccountState } from '../../domain/account/state.js';
import { normaliseIdentifier } from '../../domain/identity/identifiers.js';
import { accountStream, attemptsStream } from '../../domain/shared/streams.js';
import type { Services } from '../services.js';
import { runAccountCommand } from './account-commands.js';
import { accountIdFor } from './account-id.js';
import type { Caller } from './caller.js';
import {
  freshChallenge,
  type LimitVerdict,
  provenContactsLimit,
  recoveryStartLimit,
  sendCode,
  signInLimit,
} from './code-sending.js';
import { accountIdOfChallenge, codeHash, newCode } from './codes.js';
import { maskEmail, maskPhone } from './masking.js';
import { decoyContacts } from './recovery-decoy.js';
import { sendTemporaryPassword } from './recovery-notices.js';
import { freshTemporaryPassword } from './recovery-secrets.js';
import {
  type CodeRejectedResult,
  codeRejected,
  type RateLimitedResult,
  rateLimitedResult,
} from './results.js';

export type RecoveryStep = {
  kind: 'RecoveryStep';
  recoveryId: string;
  next: RecoveryNext;
  channels: Array<{ channel: 'SMS' | 'EMAIL'; to: string }>;
  securityQuestion: string | null;
};
export type AnswerRejected = { kind: 'AnswerRejected'; attemptsLeft: number };
export type EmailRejected = { kind: 'EmailRejected'; attemptsLeft: number };
export type RecoveryResult =
  | RecoveryStep
  | CodeRejectedResult
  | AnswerRejected
  | EmailRejected
  | RateLimitedResult;

/** Where an identifier's recovery lives: its account, or a decoy on its attempts stream. */
interface RecoveryHome {
  accountId: string;
  stream: string;
  contacts: { phone: string; email: string };
  /** False for a decoy: nothing is ever sent. */
  real: boolean;
}

async function recoveryHome(
  services: Pick<Services, 'commands' | 'keys'>,
  accountId: string,
): Promise<RecoveryHome> {
  const { state } = await services.commands.load(accountStream(accountId), accountModel);
  if (state.status === 'ACTIVE')
    return { accountId, stream: accountStream(accountId), contacts: state.profile, real: true };
  return {
    accountId,
    stream: attemptsStream(accountId),
    contacts: decoyContacts(services.keys.streamNames, accountId),
    real: false,
  };
}

const masked = (to: { phone: string; email: string }): RecoveryStep['channels'] => [
  { channel: 'SMS', to: maskPhone(to.phone) },
  { channel: 'EMAIL', to: maskEmail(to.email) },
];

/** The decider's outcome as the contract's RecoveryResult. */
function recoveryResult(outcome: AccountOutcome, home: RecoveryHome): RecoveryResult {
  switch (outcome.kind) {
    case 'RecoveryStep':
      return {
        kind: 'RecoveryStep',
        recoveryId: outcome.recoveryId,
        next: outcome.next,
        channels: masked(home.contacts),
        securityQuestion: outcome.securityQuestion,
      };
    case 'CodeRejected':
      return codeRejected(outcome.reason, outcome.attemptsLeft);
    case 'AnswerRejected':
      return { kind: 'AnswerRejected', attemptsLeft: outcome.attemptsLeft };
    case 'EmailRejected':
      return { kind: 'EmailRejected', attemptsLeft: outcome.attemptsLeft };
    case 'RateLimited':
      return rateLimitedResult(outcome.retryAfterSeconds);
    default:
      throw new Error(`unexpected recovery outcome ${outcome.kind}`);
  }
}

/**
 * Identifier -> a code by SMS and e-mail. An identifier without an account gets the same answer with
 * look-alike channels and nothing is sent; a lock changes nothing (recovery never answers AccountLocked).
 */
export async function startPasswordRecovery(
  services: Pick<
    Services,
    'clock' | 'commands' | 'config' | 'keys' | 'notifier' | 'projections' | 'rateLimits'
  >,
  caller: Caller,
  identifier: string,
): Promise<RecoveryResult> {
  const ipLimit = await signInLimit(services, caller.ip);
  if (!ipLimit.allowed) return rateLimitedResult(ipLimit.retryAfterSeconds);
  const accountId = accountIdFor(services.keys.streamNames, normaliseIdentifier(identifier));
  const home = await recoveryHome(services, accountId);
  const now = services.clock.now();
  const limit = await recoveryStartLimit(services, accountId, caller.ip, now);
  if (!limit.allowed) return rateLimitedResult(limit.retryAfterSeconds);
  const challenge = freshChallenge(services, accountId);
  const run = await runAccountCommand(services, home.stream, caller.meta(), () => ({
    type: 'StartRecovery',
    accountId,
    recoveryId: challenge.challengeId,
    codeHash: challenge.codeHash,
    now: services.clock.now(),
  }));
  if (home.real && run.outcome.kind === 'RecoveryStep')
    sendCode(services, {
      stream: home.stream,
      accountId,
      challengeId: challenge.challengeId,
      code: challenge.code,
      purpose: 'RECOVERY',
      lang: caller.lang,
      to: home.contacts,
      correlationId: caller.meta().correlationId,
    });
  return recoveryResult(run.outcome, home);
}

async function homeOfRecovery(
  services: Pick<Services, 'commands' | 'keys'>,
  recoveryId: string,
): Promise<RecoveryHome | null> {
  const accountId = accountIdOfChallenge(recoveryId);
  return accountId ? recoveryHome(services, accountId) : null;
}

/** The code from the phone or the mailbox: the security question is shown next. */
export async function verifyRecoveryCode(
  services: Pick<Services, 'clock' | 'commands' | 'keys' | 'projections'>,
  caller: Caller,
  recoveryId: string,
  code: string,
): Promise<RecoveryResult> {
  const home = await homeOfRecovery(services, recoveryId);
  if (!home) return codeRejected('INVALID', 0);
  const hash = codeHash(services.keys.codes, recoveryId, code);
  const run = await runAccountCommand(services, home.stream, caller.meta(), () => ({
    type: 'VerifyRecoveryCode',
    recoveryId,
    codeHash: hash,
    now: services.clock.now(),
  }));
  return recoveryResult(run.outcome, home);
}

const RESEND_PAUSE_MS = 30_000;

/** A new code for the same recovery (the old one stops working); throttled like resendCode. */
export async function resendRecoveryCode(
  services: Pick<
    Services,
    'clock' | 'commands' | 'config' | 'keys' | 'notifier' | 'projections' | 'rateLimits'
  >,
  caller: Caller,
  recoveryId: string,
): Promise<RecoveryResult> {
  const home = await homeOfRecovery(services, recoveryId);
  if (!home) return codeRejected('INVALID', 0);
  const { state } = await services.commands.load(home.stream, accountModel);
  if (state.challenges[recoveryId]?.purpose !== 'RECOVERY') return codeRejected('INVALID', 0);
  const now = services.clock.now();
  const pause = await services.rateLimits.hit(`codes:resend:${recoveryId}`, 1, RESEND_PAUSE_MS, now);
  if (!pause.allowed) return rateLimitedResult(pause.retryAfterSeconds);
  const limit = await recoveryStartLimit(services, home.accountId, caller.ip, now);
  if (!limit.allowed) return rateLimitedResult(limit.retryAfterSeconds);
  const code = newCode();
  const hash = codeHash(services.keys.codes, recoveryId, code);
  const run = await runAccountCommand(services, home.stream, caller.meta(), () => ({
    type: 'ResendCode',
    challengeId: recoveryId,
    codeHash: hash,
    now: services.clock.now(),
  }));
  const { outcome } = run;
  if (outcome.kind !== 'CodeSent') return recoveryResult(outcome, home);
  if (home.real)
    sendCode(services, {
      stream: home.stream,
      accountId: home.accountId,
      challengeId: recoveryId,
      code,
      purpose: 'RECOVERY',
      lang: caller.lang,
      to: home.contacts,
      correlationId: caller.meta().correlationId,
    });
  return recoveryResult(
    { kind: 'RecoveryStep', recoveryId, next: 'ENTER_CODE', securityQuestion: null },
    home,
  );
}

/** Whether the recovery is at the question: only then is an answer worth argon2 and a sending budget. */
const atQuestion = (state: AccountState, recoveryId: string) =>
  state.status === 'ACTIVE' &&
  state.recovery?.recoveryId === recoveryId &&
  state.recovery.stage === 'CODE_VERIFIED';

/**
 * The two ways to prove identity after the code: the answer (argon2id over its normalised form) or the
 * account's e-mail. Proven: a temporary password goes to the phone and the mailbox.
 */
async function proveIdentity(
  services: Pick<
    Services,
    'clock' | 'commands' | 'config' | 'keys' | 'notifier' | 'passwords' | 'projections' | 'rateLimits'
  >,
  caller: Caller,
  recoveryId: string,
  proof: { kind: 'ANSWER'; answer: string } | { kind: 'EMAIL'; email: string },
): Promise<RecoveryResult> {
  const home = await homeOfRecovery(services, recoveryId);
  if (!home) return codeRejected('INVALID', 0);
  const temporary = freshTemporaryPassword(services.keys.codes);
  // Cached so that a conflict with another instance does not run argon2 or count the budget twice;
  // the verdict per answer hash, since the fold decided on again may hold a newly set question.
  const verdicts = new Map<string, Promise<boolean>>();
  let budget: Promise<LimitVerdict> | undefined;
  const run = await runAccountCommand(services, home.stream, caller.meta(), async ({ state }) => {
    const now = services.clock.now();
    let proven = false;
    let codeLimit: LimitVerdict = { allowed: true };
    if (atQuestion(state, recoveryId) && state.status === 'ACTIVE') {
      if (proof.kind === 'ANSWER') {
        const hash = state.profile.securityAnswerHash;
        let verdict = verdicts.get(hash);
        if (!verdict) {
          verdict = services.passwords.verify(hash, normaliseSecurityAnswer(proof.answer));
          verdicts.set(hash, verdict);
        }
        proven = await verdict;
      } else proven = true; // the decider compares the e-mail itself
      if (proven) {
        // Only someone who passed the code and the proof gets here: a budget anonymous starts never touch.
        budget ??= provenContactsLimit(services, home.accountId, 'PROVEN_RECOVERY', now);
        codeLimit = await budget;
      }
    }
    const temporaryPassword = {
      temporaryPasswordId: temporary.temporaryPasswordId,
      passwordHash: temporary.passwordHash,
    };
    return proof.kind === 'ANSWER'
      ? {
          type: 'AnswerSecurityQuestion',
          recoveryId,
          answerMatches: proven,
          temporaryPassword,
          codeLimit,
          now,
        }
      : { type: 'ConfirmRecoveryEmail', recoveryId, email: proof.email, temporaryPassword, codeLimit, now };
  });
  const after = run.events.find((e) => e.type === 'TemporaryPasswordIssued');
  if (after && run.before.status === 'ACTIVE')
    sendTemporaryPassword(services, {
      accountId: home.accountId,
      temporaryPasswordId: temporary.temporaryPasswordId,
      password: temporary.password,
      lang: caller.lang,
      to: run.before.profile,
      correlationId: caller.meta().correlationId,
    });
  return recoveryResult(run.outcome, home);
}

export const answerSecurityQuestion = (
  services: Pick<
    Services,
    'clock' | 'commands' | 'config' | 'keys' | 'notifier' | 'passwords' | 'projections' | 'rateLimits'
  >,
  caller: Caller,
  recoveryId: string,
  answer: string,
) => proveIdentity(services, caller, recoveryId, { kind: 'ANSWER', answer });

/** The "forgot the security question" branch: the account's e-mail, compared case-insensitively. */
export const confirmRecoveryEmail = (
  services: Pick<
    Services,
    'clock' | 'commands' | 'config' | 'keys' | 'notifier' | 'passwords' | 'projections' | 'rateLimits'
  >,
  caller: Caller,
  recoveryId: string,
  email: string,
) => proveIdentity(services, caller, recoveryId, { kind: 'EMAIL', email });
