import { describe, it } from 'vitest';
import {
  ACCOUNT_ID,
  activeAccount,
  at,
  command,
  given,
  isoAt,
  registeredCitizen,
  staffAccount,
} from '../../../test/support/account-fixtures.js';

describe('GrantRole', () => {
  it('grants a role with the reason given (no institution for HELPDESK)', () => {
    given(activeAccount())
      .when(command.grantRole({ now: at(1) }))
      .then(
        [
          {
            type: 'RoleGranted',
            data: {
              accountId: ACCOUNT_ID,
              role: 'HELPDESK',
              institution: null,
              reason: 'Joins the helpdesk',
              grantedAt: isoAt(1),
            },
          },
        ],
        { kind: 'RoleChanged' },
      );
  });

  it('an institution given for a role other than CASEWORKER is dropped', () => {
    given(activeAccount())
      .when(command.grantRole({ role: 'AUDITOR', institution: 'DPGJC', reason: 'Audit', now: at(1) }))
      .then([
        {
          type: 'RoleGranted',
          data: {
            accountId: ACCOUNT_ID,
            role: 'AUDITOR',
            institution: null,
            reason: 'Audit',
            grantedAt: isoAt(1),
          },
        },
      ]);
  });

  it('CASEWORKER needs an institution: RoleRefused institution REQUIRED', () => {
    given(activeAccount())
      .when(command.grantRole({ role: 'CASEWORKER', institution: null }))
      .thenNothing({ kind: 'RoleRefused', field: 'institution', code: 'REQUIRED' });
    given(activeAccount())
      .when(command.grantRole({ role: 'CASEWORKER', institution: '' }))
      .thenNothing({ kind: 'RoleRefused', field: 'institution', code: 'REQUIRED' });
  });

  it('CASEWORKER is granted for its institution', () => {
    given(activeAccount())
      .when(
        command.grantRole({ role: 'CASEWORKER', institution: 'DPGJC', reason: 'Civil registry', now: at(1) }),
      )
      .then([
        {
          type: 'RoleGranted',
          data: {
            accountId: ACCOUNT_ID,
            role: 'CASEWORKER',
            institution: 'DPGJC',
            reason: 'Civil registry',
            grantedAt: isoAt(1),
          },
        },
      ]);
  });

  it('granting a role already held (same institution) appends nothing and still answers RoleChanged', () => {
    given(staffAccount('HELPDESK'))
      .when(command.grantRole({ now: at(1) }))
      .thenNothing({ kind: 'RoleChanged' });
    given(staffAccount('CASEWORKER', 'DPGJC'))
      .when(command.grantRole({ role: 'CASEWORKER', institution: 'DPGJC', now: at(1) }))
      .thenNothing({ kind: 'RoleChanged' });
  });

  it('CASEWORKER for another institution is granted again (it replaces the first)', () => {
    given(staffAccount('CASEWORKER', 'DPGJC'))
      .when(command.grantRole({ role: 'CASEWORKER', institution: 'QKB', reason: 'Moved', now: at(1) }))
      .then([
        {
          type: 'RoleGranted',
          data: {
            accountId: ACCOUNT_ID,
            role: 'CASEWORKER',
            institution: 'QKB',
            reason: 'Moved',
            grantedAt: isoAt(1),
          },
        },
      ]);
  });

  it('an unconfirmed account or no account: RoleRefused identifier NOT_REGISTERED', () => {
    given(registeredCitizen())
      .when(command.grantRole())
      .thenNothing({ kind: 'RoleRefused', field: 'identifier', code: 'NOT_REGISTERED' });
    given([])
      .when(command.grantRole())
      .thenNothing({ kind: 'RoleRefused', field: 'identifier', code: 'NOT_REGISTERED' });
  });
});

describe('RevokeRole', () => {
  it('revokes a role held', () => {
    given(staffAccount('HELPDESK'))
      .when(command.revokeRole({ now: at(1) }))
      .then(
        [
          {
            type: 'RoleRevoked',
            data: {
              accountId: ACCOUNT_ID,
              role: 'HELPDESK',
              reason: 'Left the helpdesk',
              revokedAt: isoAt(1),
            },
          },
        ],
        { kind: 'RoleChanged' },
      );
  });

  it('a role not held: RoleRefused role NOT_HELD', () => {
    given(staffAccount('HELPDESK'))
      .when(command.revokeRole({ role: 'ADMIN' }))
      .thenNothing({ kind: 'RoleRefused', field: 'role', code: 'NOT_HELD' });
    given(activeAccount())
      .when(command.revokeRole())
      .thenNothing({ kind: 'RoleRefused', field: 'role', code: 'NOT_HELD' });
  });

  it('an unconfirmed account or no account: RoleRefused identifier NOT_REGISTERED', () => {
    given(registeredCitizen())
      .when(command.revokeRole())
      .thenNothing({ kind: 'RoleRefused', field: 'identifier', code: 'NOT_REGISTERED' });
  });
});
