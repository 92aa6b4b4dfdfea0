import { describe, it } from 'vitest';
import {
  ACCOUNT_ID,
  activeAccount,
  at,
  command,
  followedBy,
  given,
  isoAt,
  lockedAccount,
  NEW_EMAIL,
  NEW_PHONE,
  PERSON,
  REASON,
  registeredCitizen,
  staffAccount,
  TEMPORARY_PASSWORD,
} from '../../../test/support/account-fixtures.js';
import type { AccountEvent } from './events.js';
import { FAILURES_BEFORE_LOCK, LOCK_MS, TEMPORARY_PASSWORD_TTL_MS } from './rules.js';

const issuedByHelpdesk = (now: Date): AccountEvent => ({
  type: 'TemporaryPasswordIssued',
  data: {
    accountId: ACCOUNT_ID,
    temporaryPasswordId: TEMPORARY_PASSWORD.temporaryPasswordId,
    recoveryId: null,
    via: 'HELPDESK',
    passwordHash: TEMPORARY_PASSWORD.passwordHash,
    requiresSecurityQuestion: false,
    channels: ['SMS', 'EMAIL'],
    issuedAt: now.toISOString(),
    expiresAt: new Date(now.getTime() + TEMPORARY_PASSWORD_TTL_MS).toISOString(),
    reason: REASON,
  },
});
const sent = {
  kind: 'TemporaryPasswordSent',
  temporaryPasswordId: TEMPORARY_PASSWORD.temporaryPasswordId,
} as const;

describe('RegeneratePassword', () => {
  it("sends a temporary password (via HELPDESK, with the staff member's reason) to the account's contacts", () => {
    given(activeAccount())
      .when(command.regeneratePassword({ now: at(1) }))
      .then([issuedByHelpdesk(at(1))], sent);
  });

  it('new contacts checked in person are recorded first (ContactChanged, no challenge)', () => {
    given(activeAccount())
      .when(command.regeneratePassword({ newContacts: { email: NEW_EMAIL, phone: NEW_PHONE }, now: at(1) }))
      .then(
        [
          {
            type: 'ContactChanged',
            data: {
              accountId: ACCOUNT_ID,
              challengeId: null,
              reason: REASON,
              changedAt: isoAt(1),
              personal: { email: NEW_EMAIL, phone: NEW_PHONE },
            },
          },
          issuedByHelpdesk(at(1)),
        ],
        sent,
      );
  });

  it('only contacts that differ are changed (the e-mail compared case-insensitively)', () => {
    given(activeAccount())
      .when(
        command.regeneratePassword({
          newContacts: { email: PERSON.email.toUpperCase(), phone: NEW_PHONE },
          now: at(1),
        }),
      )
      .then([
        {
          type: 'ContactChanged',
          data: {
            accountId: ACCOUNT_ID,
            challengeId: null,
            reason: REASON,
            changedAt: isoAt(1),
            personal: { phone: NEW_PHONE },
          },
        },
        issuedByHelpdesk(at(1)),
      ]);
    given(activeAccount())
      .when(
        command.regeneratePassword({ newContacts: { email: PERSON.email, phone: PERSON.phone }, now: at(1) }),
      )
      .then([issuedByHelpdesk(at(1))], sent);
  });

  it('works during a lock', () => {
    given(lockedAccount())
      .when(command.regeneratePassword({ now: at(1) }))
      .then([issuedByHelpdesk(at(1))], sent);
  });

  it('never for an account holding a staff role: StaffAccount', () => {
    given(staffAccount('AUDITOR')).when(command.regeneratePassword()).thenNothing({ kind: 'StaffAccount' });
  });

  it('never for a configured admin, even before the role was recorded: StaffAccount', () => {
    given(activeAccount())
      .when(command.regeneratePassword({ targetIsConfiguredAdmin: true }))
      .thenNothing({ kind: 'StaffAccount' });
  });

  it("never for the staff member's own account: StaffAccount", () => {
    given(activeAccount())
      .when(command.regeneratePassword({ staffAccountId: ACCOUNT_ID }))
      .thenNothing({ kind: 'StaffAccount' });
  });

  it('an unconfirmed account or no account: NotRegistered', () => {
    given(registeredCitizen()).when(command.regeneratePassword()).thenNothing({ kind: 'NotRegistered' });
    given([]).when(command.regeneratePassword()).thenNothing({ kind: 'NotRegistered' });
  });

  it('rate-limited: nothing goes out and the contacts stay', () => {
    given(activeAccount())
      .when(
        command.regeneratePassword({
          newContacts: { email: NEW_EMAIL },
          codeLimit: { allowed: false, retryAfterSeconds: 90 },
        }),
      )
      .thenNothing({ kind: 'RateLimited', retryAfterSeconds: 90 });
  });
});

describe('UnlockAccount', () => {
  it('ends a lock early', () => {
    given(lockedAccount())
      .when(command.unlockAccount({ now: at(LOCK_MS - 1) }))
      .then(
        [
          {
            type: 'AccountUnlocked',
            data: { accountId: ACCOUNT_ID, reason: REASON, unlockedAt: isoAt(LOCK_MS - 1) },
          },
        ],
        { kind: 'Unlocked' },
      );
  });

  it('an account not locked: NotLocked, nothing appended', () => {
    given(activeAccount()).when(command.unlockAccount()).thenNothing({ kind: 'NotLocked' });
  });

  it('a lock that ended by itself (LOCK_MS) is NotLocked', () => {
    given(lockedAccount())
      .when(command.unlockAccount({ now: at(LOCK_MS) }))
      .thenNothing({ kind: 'NotLocked' });
  });

  const lockedStaff = (role: 'HELPDESK' | 'ADMIN' | 'CASEWORKER' | 'AUDITOR') =>
    followedBy(
      staffAccount(role === 'ADMIN' ? 'HELPDESK' : role, role === 'CASEWORKER' ? 'DPGJC' : null),
      ...Array.from({ length: FAILURES_BEFORE_LOCK }, () => command.startSignIn({ passwordMatches: false })),
    );

  it('HELPDESK never unlocks a staff account (a role held, or named in ADMIN_IDENTIFIERS): StaffAccount', () => {
    for (const role of ['HELPDESK', 'CASEWORKER', 'AUDITOR'] as const)
      given(lockedStaff(role)).when(command.unlockAccount()).thenNothing({ kind: 'StaffAccount' });
    given(lockedAccount())
      .when(command.unlockAccount({ targetIsConfiguredAdmin: true }))
      .thenNothing({ kind: 'StaffAccount' });
  });

  it('an ADMIN unlocks staff accounts, but never its own', () => {
    given(lockedStaff('CASEWORKER'))
      .when(command.unlockAccount({ byAdmin: true }))
      .then(
        [{ type: 'AccountUnlocked', data: { accountId: ACCOUNT_ID, reason: REASON, unlockedAt: isoAt(0) } }],
        {
          kind: 'Unlocked',
        },
      );
    given(lockedStaff('HELPDESK'))
      .when(command.unlockAccount({ byAdmin: true, staffAccountId: ACCOUNT_ID }))
      .thenNothing({ kind: 'StaffAccount' });
    given(lockedAccount())
      .when(command.unlockAccount({ staffAccountId: ACCOUNT_ID }))
      .thenNothing({ kind: 'StaffAccount' });
  });

  it('an unconfirmed account or no account: NotRegistered', () => {
    given(registeredCitizen()).when(command.unlockAccount()).thenNothing({ kind: 'NotRegistered' });
    given([]).when(command.unlockAccount()).thenNothing({ kind: 'NotRegistered' });
  });
});
