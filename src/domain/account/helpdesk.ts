import type { AccountCommand } from './commands.js';
import { changedContacts } from './contact-change.js';
import { iso, nothing } from './decision-parts.js';
import type { AccountEvent } from './events.js';
import type { AccountDecision } from './outcomes.js';
import { type AccountState, activeLock } from './state.js';
import { temporaryPasswordIssued } from './temporary-password.js';

type Of<T extends AccountCommand['type']> = Extract<AccountCommand, { type: T }>;

/**
 * Helpdesk: a temporary password to the account's contacts, or to new ones it checked in person. Never
 * for an account that holds a staff role, nor the staff member's own: a helpdesk member could otherwise
 * send an admin's (or a colleague's, or their own) temporary password to a phone of their choosing and
 * take the role. Those go to an ADMIN.
 */
export function regeneratePassword(state: AccountState, c: Of<'RegeneratePassword'>): AccountDecision {
  if (state.status !== 'ACTIVE' || state.accountId === null) return nothing({ kind: 'NotRegistered' });
  if (state.roles.length > 0 || c.targetIsConfiguredAdmin || state.accountId === c.staffAccountId)
    return nothing({ kind: 'StaffAccount' });
  if (!c.codeLimit.allowed)
    return nothing({ kind: 'RateLimited', retryAfterSeconds: c.codeLimit.retryAfterSeconds });
  const accountId = state.accountId;
  const events: AccountEvent[] = [];
  const changed = changedContacts(state.profile, c.newContacts);
  if (changed)
    events.push({
      type: 'ContactChanged',
      data: { accountId, challengeId: null, reason: c.reason, changedAt: iso(c.now), personal: changed },
    });
  events.push(
    temporaryPasswordIssued(accountId, c.temporaryPassword, {
      recoveryId: null,
      via: 'HELPDESK',
      requiresSecurityQuestion: false,
      now: c.now,
      reason: c.reason,
    }),
  );
  return {
    events,
    outcome: { kind: 'TemporaryPasswordSent', temporaryPasswordId: c.temporaryPassword.temporaryPasswordId },
  };
}

/**
 * Helpdesk (or an ADMIN): ends a lock in force. Each unlock also clears the wrong-password count, so
 * a HELPDESK member unlocking staff accounts (an admin's, a colleague's, their own) would give three
 * more guesses at a staff password each time, without end: staff accounts are unlocked by an ADMIN,
 * and nobody unlocks their own.
 */
export function unlockAccount(state: AccountState, c: Of<'UnlockAccount'>): AccountDecision {
  if (state.status !== 'ACTIVE' || state.accountId === null) return nothing({ kind: 'NotRegistered' });
  const isStaff = state.roles.length > 0 || c.targetIsConfiguredAdmin;
  if (state.accountId === c.staffAccountId || (isStaff && !c.byAdmin))
    return nothing({ kind: 'StaffAccount' });
  if (!activeLock(state, c.now)) return nothing({ kind: 'NotLocked' });
  return {
    events: [
      {
        type: 'AccountUnlocked',
        data: { accountId: state.accountId, reason: c.reason, unlockedAt: iso(c.now) },
      },
    ],
    outcome: { kind: 'Unlocked' },
  };
}
