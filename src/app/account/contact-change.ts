import { accountModel } from '../../domain/account/decide.js';
import { sameEmail } from '../../domain/account/recovery.js';
import { recentlyAuthenticated } from '../../domain/account/sessions.js';
import { accountStream } from '../../domain/shared/streams.js';
import type { Services } from '../services.js';
import type { Viewer } from '../viewer.js';
import { runAccountCommand } from './account-commands.js';
import { type Caller, personActor } from './caller.js';
import { freshChallenge, newContactsLimit } from './code-sending.js';
import { accountIdOfChallenge, codeHash } from './codes.js';
import { maskEmail, maskPhone } from './masking.js';
import { sendNotice } from './recovery-notices.js';
import { E164, Email } from './registration.js';
import {
  type AccountView,
  accountView,
  type CodeRejectedResult,
  codeRejected,
  type InputRefused,
  inputRefused,
  type OtpSent,
  type RateLimitedResult,
  rateLimitedResult,
} from './results.js';
import { codeMessages } from './texts.js';

export type ContactChangeResult =
  | OtpSent
  | { kind: 'Account'; account: AccountView }
  | CodeRejectedResult
  | InputRefused
  | RateLimitedResult;

export interface GivenContacts {
  phone?: string | null | undefined;
  email?: string | null | undefined;
}

/** New contacts as typed, checked; an InputRefused names the first one at fault. */
export function checkNewContacts(
  _caller: Pick<Caller, 'lang'>,
  given: GivenContacts,
): { ok: true; contacts: { phone?: string; email?: string } } | { ok: false; refused: InputRefused } {
  const phone = given.phone?.trim() || undefined;
  const email = given.email?.trim() || undefined;
  if (phone !== undefined && !E164.test(phone))
    return { ok: false, refused: inputRefused('phone', 'INVALID', 'INVALID_PHONE') };
  if (email !== undefined && !Email.safeParse(email).success)
    return { ok: false, refused: inputRefused('email', 'INVALID', 'INVALID_EMAIL') };
  return { ok: true, contacts: { ...(phone ? { phone } : {}), ...(email ? { email } : {}) } };
}

const asAccount = (account: AccountView) => ({ kind: 'Account' as const, account });

const reauthenticate = (_caller: Caller) => inputRefused('session', 'REAUTHENTICATION_REQUIRED');

/**
 * Signed in within the last 15 minutes: a code to each new contact given, and a notice to the current
 * ones right away (so the owner learns of it before it completes); the contacts change once the code
 * comes back.
 */
export async function startContactChange(
  services: Pick<
    Services,
    'clock' | 'commands' | 'config' | 'keys' | 'notifier' | 'projections' | 'rateLimits'
  >,
  caller: Caller,
  viewer: Viewer,
  given: GivenContacts,
): Promise<ContactChangeResult> {
  const checked = checkNewContacts(caller, given);
  if (!checked.ok) return checked.refused;
  const { contacts } = checked;
  if (contacts.phone === undefined && contacts.email === undefined) return inputRefused('phone', 'REQUIRED');
  const stream = accountStream(viewer.accountId);
  const { state } = await services.commands.load(stream, accountModel);
  if (state.status !== 'ACTIVE') return codeRejected('INVALID', 0);
  const now = services.clock.now();
  // Checked here too so that a refused call spends no sending budget; the decider has the last word.
  if (!recentlyAuthenticated(state, viewer.sessionId, now)) return reauthenticate(caller);
  const to = { phone: contacts.phone ?? state.profile.phone, email: contacts.email ?? state.profile.email };
  // Only the contacts that change are unproven; the code goes to them alone.
  const unproven = [
    ...(to.phone !== state.profile.phone ? [to.phone] : []),
    ...(!sameEmail(to.email, state.profile.email) ? [to.email] : []),
  ];
  const limit = await newContactsLimit(services, viewer.accountId, unproven, now);
  if (!limit.allowed) return rateLimitedResult(limit.retryAfterSeconds);
  const challenge = freshChallenge(services, viewer.accountId);
  const run = await runAccountCommand(services, stream, caller.meta(personActor(viewer.accountId)), () => ({
    type: 'StartContactChange',
    sessionId: viewer.sessionId,
    challengeId: challenge.challengeId,
    codeHash: challenge.codeHash,
    newContacts: contacts,
    now: services.clock.now(),
  }));
  const { outcome, before } = run;
  if (outcome.kind === 'ContactChanged' && before.status === 'ACTIVE') return asAccount(accountView(before));
  if (outcome.kind === 'ReauthenticationRequired') return reauthenticate(caller);
  if (outcome.kind !== 'CodeSent' || before.status !== 'ACTIVE')
    throw new Error(`unexpected contact change outcome ${outcome.kind}`);
  sendNotice(services, {
    accountId: viewer.accountId,
    kind: 'CONTACT_CHANGE_STARTED',
    lang: caller.lang,
    to: { phones: [before.profile.phone], emails: [before.profile.email] },
    correlationId: caller.meta().correlationId,
  });
  // Only the new contacts get the code: proving them is the point.
  services.notifier.send({
    stream,
    accountId: viewer.accountId,
    challengeId: challenge.challengeId,
    correlationId: caller.meta().correlationId,
    messages: codeMessages(caller.lang, 'CONTACT_CHANGE', challenge.code, to).filter((m) =>
      outcome.channels.includes(m.channel),
    ),
  });
  return {
    kind: 'OtpSent',
    challengeId: challenge.challengeId,
    expiresAt: outcome.expiresAt,
    channels: outcome.channels.map((channel) => ({
      channel,
      to: channel === 'SMS' ? maskPhone(to.phone) : maskEmail(to.email),
    })),
  };
}

/** The code from the new contact(s): the account's contacts change, and the old ones are told. */
export async function completeContactChange(
  services: Pick<Services, 'clock' | 'commands' | 'keys' | 'notifier' | 'projections'>,
  caller: Caller,
  viewer: Viewer,
  challengeId: string,
  code: string,
): Promise<ContactChangeResult> {
  if (accountIdOfChallenge(challengeId) !== viewer.accountId) return codeRejected('INVALID', 0);
  const hash = codeHash(services.keys.codes, challengeId, code);
  const run = await runAccountCommand(
    services,
    accountStream(viewer.accountId),
    caller.meta(personActor(viewer.accountId)),
    () => ({ type: 'CompleteContactChange', challengeId, codeHash: hash, now: services.clock.now() }),
  );
  const { outcome, before } = run;
  if (outcome.kind === 'CodeRejected') return codeRejected(outcome.reason, outcome.attemptsLeft);
  const { after } = run;
  if (outcome.kind !== 'ContactChanged' || before.status !== 'ACTIVE' || after.status !== 'ACTIVE')
    throw new Error(`unexpected contact change outcome ${outcome.kind}`);
  sendNotice(services, {
    accountId: viewer.accountId,
    kind: 'CONTACT_CHANGED',
    lang: caller.lang,
    to: { phones: [before.profile.phone], emails: [before.profile.email] },
    correlationId: caller.meta().correlationId,
  });
  return asAccount(accountView(after));
}
