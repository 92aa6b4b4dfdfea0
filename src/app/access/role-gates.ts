import type { Role, Viewer } from '../viewer.js';

interface Gate {
  roles: readonly Role[];
  institution?: boolean;
}

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
  unlockAccount: { roles: ['HELPDESK', 'ADMIN'] },
  accountStatus: { roles: ['HELPDESK', 'AUDITOR'] },
  auditLog: { roles: ['AUDITOR'] },
  verifyAuditChain: { roles: ['AUDITOR'] },
  caseQueue: { roles: ['CASEWORKER'], institution: true },
} as const satisfies Record<string, Gate>;

export type GatedOperation = keyof typeof ROLE_GATES;
export type GateRole<O extends GatedOperation> = (typeof ROLE_GATES)[O]['roles'][number];

/** Own rows only: a name such as `toString` or `__proto__` is no operation of the table. */
export const isGatedOperation = (operation: string): operation is GatedOperation =>
  Object.hasOwn(ROLE_GATES, operation);

/**
 * The role the viewer passes the operation's gate in, or null: the operation is refused (FORBIDDEN).
 * An operation the table does not list is refused to everyone, so a gate looked up by a name that
 * comes from outside (a GraphQL field's) denies by default.
 */
export function gateRole<O extends GatedOperation>(viewer: Viewer, operation: O): GateRole<O> | null;
export function gateRole(viewer: Viewer, operation: string): Role | null;
export function gateRole(viewer: Viewer, operation: string): Role | null {
  if (!isGatedOperation(operation)) return null;
  const gate: Gate = ROLE_GATES[operation];
  if (gate.institution && !viewer.institution) return null;
  return gate.roles.find((role) => viewer.roles.includes(role)) ?? null;
}
