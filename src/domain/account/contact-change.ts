import { checkCode, otpIssued } from './codes.js';
import type { AccountCommand, NewContacts } from './commands.js';
import { codeRejected, iso, nothing } from './decision-parts.js';
import type { AccountDecision } from './outcomes.js';
import { sameEmail } from './recovery.js';
import { recentlyAuthenticated } from './sessions.js';
import type { AccountState } from './state.js';
import type { Channel } from './terms.js';

type Of<T extends AccountCommand['type']> = Extract<AccountCommand, { type: T }>;

/** Only the contacts that differ from the profile's; null when none does. */
export function changedContacts(
  profile: { email: string; phone: string },
  given: NewContacts | null,
): NewContacts | null {
  const changed: NewContacts = {};
  if (given?.email !== undefined && !sameEmail(given.email, profile.email)) changed.email = given.email;
  if (given?.phone !== undefined && given.phone !== profile.phone) changed.phone = given.phone;
  return changed.email === undefined && changed.phone === undefined ? null : changed;
}

/** Signed in recently: a code to each new contact; the contacts change only once it comes back. */
export function startContactChange(state: AccountState, c: Of<'StartContactChange'>): AccountDecision {
  if (state.status !== 'ACTIVE' || state.accountId === null) return nothing({ kind: 'NotRegistered' });
  if (!recentlyAuthenticated(state, c.sessionId, c.now)) return nothing({ kind: 'ReauthenticationRequired' });
  const changed = changedContacts(state.profile, c.newContacts);
  if (!changed) return nothing({ kind: 'ContactChanged' });
  const accountId = state.accountId;
  const channels: Channel[] = [
    ...(changed.phone !== undefined ? (['SMS'] as const) : []),
    ...(changed.email !== undefined ? (['EMAIL'] as const) : []),
  ];
  const otp = otpIssued(accountId, c.challengeId, 'CONTACT_CHANGE', c.codeHash, c.now, channels);
  const { expiresAt } = otp.data;
  return {
    events: [
      {
        type: 'ContactChangeStarted',
        data: { accountId, challengeId: c.challengeId, startedAt: iso(c.now), personal: changed },
      },
      otp,
    ],
    outcome: { kind: 'CodeSent', challengeId: c.challengeId, channels, expiresAt },
  };
}

export function completeContactChange(state: AccountState, c: Of<'CompleteContactChange'>): AccountDecision {
  const check = checkCode(state, c.challengeId, c.codeHash, 'CONTACT_CHANGE', c.now);
  if (!check.ok) return check.decision;
  const pending = state.contactChange;
  if (state.status !== 'ACTIVE' || state.accountId === null || pending?.challengeId !== c.challengeId)
    return codeRejected('INVALID');
  const { challengeId: _id, ...personal } = pending;
  return {
    events: [
      ...check.events,
      {
        type: 'ContactChanged',
        data: { accountId: state.accountId, challengeId: c.challengeId, changedAt: iso(c.now), personal },
      },
    ],
    outcome: { kind: 'ContactChanged' },
  };
}
