import { accountModel } from '../../domain/account/decide.js';
import { accountEventTime } from '../../domain/account/event-time.js';
import type { AccountEvent } from '../../domain/account/events.js';
import { MIN_STAFF_REASON_LENGTH } from '../../domain/account/rules.js';
import type { AccountState } from '../../domain/account/state.js';
import { accountStatusAt } from '../../domain/account/status.js';
import { foldAsOf } from '../../domain/audit/as-of.js';
import { normaliseIdentifier } from '../../domain/identity/identifiers.js';
import type { Actor } from '../../domain/shared/events.js';
import { accountStream } from '../../domain/shared/streams.js';
import { tooManyRequests } from '../errors.js';
import type { Services } from '../services.js';
import type { Viewer } from '../viewer.js';
import { runAccountCommand } from './account-commands.js';
import { accountIdFor } from './account-id.js';
import type { Caller } from './caller.js';
import { type LimitVerdict, provenContactsLimit } from './code-sending.js';
import { checkNewContacts, type GivenContacts } from './contact-change.js';
import { sendNotice, sendTemporaryPassword } from './recovery-notices.js';
import { freshTemporaryPassword } from './recovery-secrets.js';
import { type InputRefused, inputRefused } from './results.js';
import { isAdminIdentifier } from './session-start.js';

export interface AccountStatusView {
  identifier: string;
  locked: boolean;
  lockedUntil: string | null;
  failedPasswordAttempts: number;
  lastSignInAt: string | null;
  asOf: string;
}
export type HelpdeskResult = { kind: 'HelpdeskActionDone'; account: AccountStatusView } | InputRefused;

/** The staff member as the events' actor: named by role, with their account id, never their number. */
export const helpdeskActor = (viewer: Viewer): Actor => ({
  kind: 'STAFF',
  accountId: viewer.accountId,
  role: 'HELPDESK',
  display: 'Helpdesk',
});

export const accountIdOfIdentifier = (services: Pick<Services, 'keys'>, identifier: string) =>
  accountIdFor(services.keys.streamNames, normaliseIdentifier(identifier));

function statusView(identifier: string, state: AccountState, at: Date): AccountStatusView {
  return {
    identifier: normaliseIdentifier(identifier),
    ...accountStatusAt(state, at),
    asOf: at.toISOString(),
  };
}

/**
 * The account's status at `asOf` (default: now), folded from its own stream up to that instant by the
 * time each event records (never from a read model). Null when there was no account then.
 */
export async function accountStatus(
  services: Pick<Services, 'keys' | 'store'>,
  identifier: string,
  asOf: Date,
): Promise<AccountStatusView | null> {
  const events = await services.store.readStream(accountStream(accountIdOfIdentifier(services, identifier)));
  const timed = events.map((e) => ({
    type: e.type,
    data: e.data,
    recordedAt: new Date(accountEventTime({ type: e.type, data: e.data } as AccountEvent)),
  }));
  const { state } = foldAsOf(timed, accountModel, asOf);
  return state.status === 'NONE' ? null : statusView(identifier, state, asOf);
}

/** Whether an account stream exists for the identifier (whose data a staff reading would touch). */
export async function hasAccount(
  services: Pick<Services, 'commands' | 'keys'>,
  identifier: string,
): Promise<boolean> {
  const { revision } = await services.commands.load(
    accountStream(accountIdOfIdentifier(services, identifier)),
    accountModel,
  );
  return revision >= 0;
}

/** A staff action's reason, trimmed: required, and long enough to mean something in the audit. */
function refusedReason(_caller: Caller, reason: string): InputRefused | null {
  const given = reason.trim();
  if (!given) return inputRefused('reason', 'REQUIRED');
  if (given.length < MIN_STAFF_REASON_LENGTH) return inputRefused('reason', 'TOO_SHORT', 'REASON_TOO_SHORT');
  return null;
}

/**
 * Helpdesk: a temporary password to the account's contacts, or to new ones given after the identity was
 * checked in person (then those become the account's contacts, and old and new are told).
 * requiresSecurityQuestion is false afterwards.
 */
export async function regeneratePassword(
  services: Pick<
    Services,
    'clock' | 'commands' | 'config' | 'keys' | 'notifier' | 'projections' | 'rateLimits'
  >,
  caller: Caller,
  viewer: Viewer,
  request: { identifier: string; reason: string } & GivenContacts,
): Promise<HelpdeskResult> {
  const badReason = refusedReason(caller, request.reason);
  if (badReason) return badReason;
  const checked = checkNewContacts(caller, request);
  if (!checked.ok) return checked.refused;
  const accountId = accountIdOfIdentifier(services, request.identifier);
  const stream = accountStream(accountId);
  const temporary = freshTemporaryPassword(services.keys.codes);
  let budget: Promise<LimitVerdict> | undefined;
  const run = await runAccountCommand(
    services,
    stream,
    caller.meta(helpdeskActor(viewer)),
    async ({ state }) => {
      const now = services.clock.now();
      let codeLimit: LimitVerdict = { allowed: true };
      const targetIsConfiguredAdmin = isAdminIdentifier(services, state);
      if (state.status === 'ACTIVE' && state.roles.length === 0 && !targetIsConfiguredAdmin) {
        // New contacts given here were checked in person by staff: the account's helpdesk budget alone
        // applies, which no anonymous recovery start can spend.
        budget ??= provenContactsLimit(services, accountId, 'HELPDESK', now);
        codeLimit = await budget;
      }
      return {
        type: 'RegeneratePassword',
        staffAccountId: viewer.accountId,
        targetIsConfiguredAdmin,
        temporaryPassword: {
          temporaryPasswordId: temporary.temporaryPasswordId,
          passwordHash: temporary.passwordHash,
        },
        newContacts: checked.contacts,
        reason: request.reason,
        codeLimit,
        now,
      };
    },
  );
  const { outcome, before } = run;
  if (outcome.kind === 'NotRegistered') return inputRefused('identifier', 'NOT_REGISTERED');
  if (outcome.kind === 'StaffAccount') return inputRefused('identifier', 'STAFF_ACCOUNT');
  // HelpdeskResult has no RateLimited member: the sending budget is spent, which is a GraphQL error.
  if (outcome.kind === 'RateLimited') throw tooManyRequests(outcome.retryAfterSeconds);
  const { after } = run;
  if (outcome.kind !== 'TemporaryPasswordSent' || before.status !== 'ACTIVE' || after.status !== 'ACTIVE')
    throw new Error(`unexpected regeneration outcome ${outcome.kind}`);
  const correlationId = caller.meta().correlationId;
  sendTemporaryPassword(services, {
    accountId,
    temporaryPasswordId: temporary.temporaryPasswordId,
    password: temporary.password,
    lang: caller.lang,
    to: after.profile,
    correlationId,
  });
  // The old contacts learn that a password went elsewhere, and that their contacts were replaced.
  const old = { phones: [] as string[], emails: [] as string[] };
  if (before.profile.phone !== after.profile.phone) old.phones.push(before.profile.phone);
  if (before.profile.email !== after.profile.email) old.emails.push(before.profile.email);
  if (old.phones.length + old.emails.length > 0) {
    sendNotice(services, {
      accountId,
      kind: 'TEMPORARY_PASSWORD_BY_HELPDESK',
      lang: caller.lang,
      to: old,
      correlationId,
    });
    sendNotice(services, { accountId, kind: 'CONTACT_CHANGED', lang: caller.lang, to: old, correlationId });
  }
  return {
    kind: 'HelpdeskActionDone',
    account: statusView(request.identifier, after, services.clock.now()),
  };
}

/** Helpdesk: ends a lock in force, with the reason and the staff member recorded. */
export async function unlockAccount(
  services: Pick<Services, 'clock' | 'commands' | 'config' | 'keys' | 'projections'>,
  caller: Caller,
  viewer: Viewer,
  request: { identifier: string; reason: string },
): Promise<HelpdeskResult> {
  const badReason = refusedReason(caller, request.reason);
  if (badReason) return badReason;
  const stream = accountStream(accountIdOfIdentifier(services, request.identifier));
  const run = await runAccountCommand(services, stream, caller.meta(helpdeskActor(viewer)), ({ state }) => ({
    type: 'UnlockAccount',
    reason: request.reason,
    staffAccountId: viewer.accountId,
    byAdmin: viewer.roles.includes('ADMIN'),
    targetIsConfiguredAdmin: isAdminIdentifier(services, state),
    now: services.clock.now(),
  }));
  const { outcome } = run;
  if (outcome.kind === 'NotRegistered') return inputRefused('identifier', 'NOT_REGISTERED');
  if (outcome.kind === 'StaffAccount') return inputRefused('identifier', 'STAFF_ACCOUNT');
  if (outcome.kind === 'NotLocked') return inputRefused('identifier', 'NOT_LOCKED');
  if (outcome.kind !== 'Unlocked') throw new Error(`unexpected unlock outcome ${outcome.kind}`);
  const { after } = run;
  return {
    kind: 'HelpdeskActionDone',
    account: statusView(request.identifier, after, services.clock.now()),
  };
}
