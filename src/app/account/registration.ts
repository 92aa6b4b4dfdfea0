import { z } from 'zod';
import { codeStillValid } from '../../domain/account/codes.js';
import { accountModel } from '../../domain/account/decide.js';
import type { AccountKind } from '../../domain/account/events.js';
import { judgePassword } from '../../domain/account/password-policy.js';
import { businessRegistrant, type RegistrantSession } from '../../domain/account/registration.js';
import { normaliseSecurityAnswer } from '../../domain/account/security-answer.js';
import { isValidNid, isValidNipt, normaliseIdentifier } from '../../domain/identity/identifiers.js';
import { accountStream } from '../../domain/shared/streams.js';
import { RegistryUnavailableError } from '../../infra/registry/port.js';
import { unavailable } from '../errors.js';
import type { Services } from '../services.js';
import { runAccountCommand } from './account-commands.js';
import { accountIdFor } from './account-id.js';
import type { Caller } from './caller.js';
import { freshChallenge, newContactsLimit, sendCode, signInLimit } from './code-sending.js';
import { accountIdOfChallenge, codeHash } from './codes.js';
import { isCommonPassword } from './common-passwords.js';
import {
  type CodeRejectedResult,
  codeRejected,
  type InputRefused,
  inputRefused,
  type OtpSent,
  otpSent,
  type RateLimitedResult,
  rateLimitedResult,
  type SessionStartedResult,
} from './results.js';
import { freshSession, isAdminIdentifier, openSession } from './session-start.js';

export type RegisterResult = OtpSent | InputRefused | RateLimitedResult;

export const E164 = /^\+[1-9][0-9]{7,14}$/;
export const Email = z.email();

interface Contacts {
  email: string;
  phone: string;
  password: string;
  securityQuestion: string;
  securityAnswer: string;
}

export interface RegisterCitizenInput extends Contacts {
  nid: string;
  idCardNumber: string;
}

export interface RegisterBusinessInput extends Contacts {
  nipt: string;
  administratorNid: string;
}

function registryCall<T>(call: Promise<T>): Promise<T> {
  return call.catch((error) => {
    if (error instanceof RegistryUnavailableError) throw unavailable(error.message);
    throw error;
  });
}

/** Contacts and secrets as the person typed them; the first fault found is refused. */
function checkContacts(_caller: Caller, input: Contacts, identifiers: string[]): InputRefused | null {
  if (!Email.safeParse(input.email.trim()).success) return inputRefused('email', 'INVALID', 'INVALID_EMAIL');
  if (!E164.test(input.phone.trim())) return inputRefused('phone', 'INVALID', 'INVALID_PHONE');
  const refusals = judgePassword(input.password, identifiers, isCommonPassword);
  if (refusals.length > 0) {
    return { ...inputRefused('password', refusals[0]!, 'INVALID'), passwordRefusals: refusals };
  }
  if (!input.securityQuestion.trim()) return inputRefused('securityQuestion', 'REQUIRED');
  if (!normaliseSecurityAnswer(input.securityAnswer)) return inputRefused('securityAnswer', 'REQUIRED');
  return null;
}

/** What registering touches: the registries to check the person, and all that sign-up's code needs. */
type RegistrationPorts = Pick<
  Services,
  | 'clock'
  | 'commands'
  | 'config'
  | 'keys'
  | 'notifier'
  | 'passwords'
  | 'projections'
  | 'rateLimits'
  | 'registries'
>;

export async function registerCitizen(
  services: RegistrationPorts,
  caller: Caller,
  input: RegisterCitizenInput,
): Promise<RegisterResult> {
  const limit = await signInLimit(services, caller.ip);
  if (!limit.allowed) return rateLimitedResult(limit.retryAfterSeconds);
  const nid = normaliseIdentifier(input.nid);
  if (!isValidNid(nid)) return inputRefused('nid', 'INVALID', 'INVALID_NID');
  const record = await registryCall(services.registries.citizen(nid));
  if (!record) return inputRefused('nid', 'NOT_IN_REGISTRY');
  if (record.idCardNumber.toUpperCase() !== input.idCardNumber.trim().toUpperCase())
    return inputRefused('idCardNumber', 'NOT_IN_REGISTRY', 'ID_CARD_MISMATCH');
  const refused = checkContacts(caller, input, [nid]);
  if (refused) return refused;
  return register(services, caller, 'CITIZEN', nid, `${record.firstName} ${record.lastName}`, input);
}

/**
 * A business is registered by its administrator, signed in (`signedIn`: the caller's session, read from
 * their account stream when the request arrived) to their own citizen account.
 */
export async function registerBusiness(
  services: RegistrationPorts,
  caller: Caller,
  signedIn: RegistrantSession | null,
  input: RegisterBusinessInput,
): Promise<RegisterResult> {
  const limit = await signInLimit(services, caller.ip);
  if (!limit.allowed) return rateLimitedResult(limit.retryAfterSeconds);
  // Who calls is judged before what they send: without a citizen's session nothing else is looked at.
  if (signedIn?.kind !== 'CITIZEN') return inputRefused('administratorNid', 'ADMINISTRATOR_SIGN_IN_REQUIRED');
  const nipt = normaliseIdentifier(input.nipt);
  if (!isValidNipt(nipt)) return inputRefused('nipt', 'INVALID', 'INVALID_NIPT');
  const administratorNid = normaliseIdentifier(input.administratorNid);
  if (!isValidNid(administratorNid)) return inputRefused('administratorNid', 'INVALID', 'INVALID_NID');
  // Without the administrator's own session nothing else is looked at (not even the registry).
  if (businessRegistrant(signedIn, administratorNid, administratorNid) === 'SIGN_IN_REQUIRED')
    return inputRefused('administratorNid', 'ADMINISTRATOR_SIGN_IN_REQUIRED');
  const record = await registryCall(services.registries.business(nipt));
  if (!record) return inputRefused('nipt', 'NOT_IN_REGISTRY');
  const registrant = businessRegistrant(signedIn, administratorNid, record.administratorNid);
  if (registrant === 'SIGN_IN_REQUIRED')
    return inputRefused('administratorNid', 'ADMINISTRATOR_SIGN_IN_REQUIRED');
  if (registrant === 'NOT_ADMINISTRATOR') return inputRefused('administratorNid', 'NOT_ADMINISTRATOR');
  const refused = checkContacts(caller, input, [nipt, administratorNid]);
  if (refused) return refused;
  return register(services, caller, 'BUSINESS', nipt, record.name, input, administratorNid);
}

async function register(
  services: Pick<
    Services,
    'clock' | 'commands' | 'config' | 'keys' | 'notifier' | 'passwords' | 'projections' | 'rateLimits'
  >,
  caller: Caller,
  kind: AccountKind,
  identifier: string,
  displayName: string,
  input: Contacts,
  administratorNid?: string,
): Promise<RegisterResult> {
  const accountId = accountIdFor(services.keys.streamNames, identifier);
  const stream = accountStream(accountId);
  const to = { email: input.email.trim(), phone: input.phone.trim() };
  // Refuse early (no argon2, no code budget) when the stream already says so; the decider checks again.
  const { state } = await services.commands.load(stream, accountModel);
  const now = services.clock.now();
  if (
    state.status === 'ACTIVE' ||
    (state.status === 'PENDING' &&
      codeStillValid(state.challenges[state.profile.registrationChallengeId], now))
  )
    return inputRefused(kind === 'CITIZEN' ? 'nid' : 'nipt', 'ALREADY_REGISTERED');
  const limit = await newContactsLimit(services, accountId, [to.phone, to.email], now);
  if (!limit.allowed) return rateLimitedResult(limit.retryAfterSeconds);
  const [passwordHash, securityAnswerHash] = await Promise.all([
    services.passwords.hash(input.password),
    services.passwords.hash(normaliseSecurityAnswer(input.securityAnswer)),
  ]);
  const challenge = freshChallenge(services, accountId);
  const run = await runAccountCommand(services, stream, caller.meta(), () => ({
    type: 'RegisterAccount',
    accountId,
    kind,
    identifier,
    displayName,
    email: to.email,
    phone: to.phone,
    securityQuestion: input.securityQuestion.trim(),
    ...(administratorNid ? { administratorNid } : {}),
    passwordHash,
    securityAnswerHash,
    challengeId: challenge.challengeId,
    codeHash: challenge.codeHash,
    now: services.clock.now(),
  }));
  const { outcome } = run;
  if (outcome.kind === 'AlreadyRegistered')
    return inputRefused(kind === 'CITIZEN' ? 'nid' : 'nipt', 'ALREADY_REGISTERED');
  if (outcome.kind !== 'CodeSent') throw new Error(`unexpected registration outcome ${outcome.kind}`);
  sendCode(services, {
    stream,
    accountId,
    challengeId: challenge.challengeId,
    code: challenge.code,
    purpose: 'REGISTRATION',
    lang: caller.lang,
    to,
    correlationId: caller.meta().correlationId,
  });
  return otpSent(challenge.challengeId, outcome.expiresAt, to);
}

/** The code sent to both contacts proves them: the account becomes usable and a session starts. */
export async function confirmRegistration(
  services: Pick<Services, 'clock' | 'commands' | 'config' | 'keys' | 'projections' | 'sessions'>,
  caller: Caller,
  challengeId: string,
  code: string,
): Promise<SessionStartedResult | CodeRejectedResult> {
  const accountId = accountIdOfChallenge(challengeId);
  if (!accountId) return codeRejected('INVALID', 0);
  const session = freshSession(services);
  const hash = codeHash(services.keys.codes, challengeId, code);
  const run = await runAccountCommand(services, accountStream(accountId), caller.meta(), ({ state }) => ({
    type: 'ConfirmRegistration',
    challengeId,
    codeHash: hash,
    sessionId: session.sessionId,
    grantAdmin: isAdminIdentifier(services, state),
    now: services.clock.now(),
  }));
  const { outcome } = run;
  switch (outcome.kind) {
    case 'SessionStarted':
      return openSession(services, run.after, session, outcome.expiresAt);
    case 'CodeRejected':
      return codeRejected(outcome.reason, outcome.attemptsLeft);
    // A pending registration cannot be locked (its attempts go elsewhere); the union has no lock member.
    case 'Locked':
      return codeRejected('EXPIRED', 0);
    default:
      throw new Error(`unexpected confirmation outcome ${outcome.kind}`);
  }
}
