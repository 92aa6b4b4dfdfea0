import type { AccountCommand } from './commands.js';
import { iso, nothing } from './decision-parts.js';
import type { AccountDecision } from './outcomes.js';
import type { AccountState } from './state.js';
import type { GrantableRole } from './terms.js';

type Of<T extends AccountCommand['type']> = Extract<AccountCommand, { type: T }>;

/**
 * What an ADMIN grants and revokes through grantRole/revokeRole: every other staff role. ADMIN itself
 * comes only from ADMIN_IDENTIFIERS (granted at the first sign-in), so one admin's session, stolen or
 * misused, cannot make more admins, nor remove the configured ones.
 */
export const ROLES_AN_ADMIN_GRANTS: readonly GrantableRole[] = ['HELPDESK', 'CASEWORKER', 'AUDITOR'];

export function grantRole(state: AccountState, c: Of<'GrantRole'>): AccountDecision {
  if (state.status !== 'ACTIVE' || state.accountId === null)
    return nothing({ kind: 'RoleRefused', field: 'identifier', code: 'NOT_REGISTERED' });
  if (c.role === 'CASEWORKER' && !c.institution)
    return nothing({ kind: 'RoleRefused', field: 'institution', code: 'REQUIRED' });
  const institution = c.role === 'CASEWORKER' ? c.institution : null;
  if (state.roles.some((r) => r.role === c.role && r.institution === institution))
    return nothing({ kind: 'RoleChanged' });
  return {
    events: [
      {
        type: 'RoleGranted',
        data: {
          accountId: state.accountId,
          role: c.role,
          institution,
          reason: c.reason,
          grantedAt: iso(c.now),
        },
      },
    ],
    outcome: { kind: 'RoleChanged' },
  };
}

export function revokeRole(state: AccountState, c: Of<'RevokeRole'>): AccountDecision {
  if (state.status !== 'ACTIVE' || state.accountId === null)
    return nothing({ kind: 'RoleRefused', field: 'identifier', code: 'NOT_REGISTERED' });
  if (!state.roles.some((r) => r.role === c.role))
    return nothing({ kind: 'RoleRefused', field: 'role', code: 'NOT_HELD' });
  return {
    events: [
      {
        type: 'RoleRevoked',
        data: { accountId: state.accountId, role: c.role, reason: c.reason, revokedAt: iso(c.now) },
      },
    ],
    outcome: { kind: 'RoleChanged' },
  };
}
