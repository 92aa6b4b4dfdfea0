import type { Role, Viewer } from '../viewer.js';

/**
 * Who may call each staff operation, one row per operation, as the applications' ACTS table has one
 * row per act (src/domain/application/acts.ts decides who may act on one application; this table
 * decides who may ask at all). `roles`: the roles that pass, in the order the caller acts in them;
 * `institution`: the role must come with the institution it works for.
 */
export const ROLE_GATES = {
  grantRole: { roles: ['ADMIN'] },
  revokeRole: { roles: ['ADMIN'] },
  regeneratePassword: { roles: ['HELPDESK'] },
  unlockAccount: { roles: ['HELPDESK'] },
  accountStatus: { roles: ['HELPDESK', 'AUDITOR'] },
  auditLog: { roles: ['AUDITOR'] },
  verifyAuditChain: { roles: ['AUDITOR'] },
  caseQueue: { roles: ['CASEWORKER'], institution: true },
} as const satisfies Record<string, { roles: readonly Role[]; institution?: boolean }>;

export type GatedOperation = keyof typeof ROLE_GATES;
export type GateRole<O extends GatedOperation> = (typeof ROLE_GATES)[O]['roles'][number];

/** The role the viewer passes the operation's gate in, or null: the operation is refused (FORBIDDEN). */
export function gateRole<O extends GatedOperation>(viewer: Viewer, operation: O): GateRole<O> | null {
  const gate: { roles: readonly Role[]; institution?: boolean } = ROLE_GATES[operation];
  if (gate.institution && !viewer.institution) return null;
  return (gate.roles.find((role) => viewer.roles.includes(role)) as GateRole<O> | undefined) ?? null;
}
