import type { Role, Viewer } from '../viewer.js';

/**
 * Who calls: the signed-in roles, plus the two callers without a session. A staff member's account is a
 * citizen's account, so staff pass every row open to CITIZEN (acting as the citizen they are).
 * FOREIGNER: no session, holding the tracking code of their own application.
 */
export type Caller = 'ANONYMOUS' | 'FOREIGNER' | Role;

export const CALLERS: readonly Caller[] = [
  'ANONYMOUS',
  'CITIZEN',
  'BUSINESS',
  'FOREIGNER',
  'CASEWORKER',
  'HELPDESK',
  'AUDITOR',
  'ADMIN',
];

/**
 * How a caller the row does not list is refused (what the contract says it gets):
 * - NONE: open to every caller; nothing is refused by who calls (the use case still judges the input).
 * - ROLE: the role gate below (passGate): UNAUTHENTICATED without a session, FORBIDDEN for a
 *   signed-in caller holding none of `callers` (in that order: the first one held is the role acted in).
 * - SESSION: UNAUTHENTICATED without a session; any signed-in account (citizen or business) passes.
 * - HIDDEN: one application by id: null for a caller who may not see it, the same answer as for no
 *   such application (src/domain/application/access.ts decides, from the stream).
 * - HIDDEN_ERROR: as HIDDEN, but answered with NOT_FOUND (a subscription cannot answer null).
 * - APPLICATION_ACT: an act on one application: UNAUTHENTICATED with neither a session nor a tracking
 *   code, NOT_FOUND for a caller who may not see it, FORBIDDEN for one who sees it but whose role may
 *   not act (the ACTS table, src/domain/application/acts.ts, decides the rest: assignee, status).
 * - { field, code }: answered InputRefused with that field and code.
 */
export type Refusal =
  | 'NONE'
  | 'ROLE'
  | 'SESSION'
  | 'HIDDEN'
  | 'HIDDEN_ERROR'
  | 'APPLICATION_ACT'
  | { readonly field: string; readonly code: string };

export interface Access {
  /** The root type the field belongs to. */
  readonly on: 'Query' | 'Mutation' | 'Subscription';
  /** Who may call it. CITIZEN, BUSINESS and FOREIGNER on HIDDEN and APPLICATION_ACT rows: their own only. */
  readonly callers: readonly Caller[];
  readonly refusal: Refusal;
  /** ROLE rows: the role must come with the institution it works for. */
  readonly institution?: boolean;
  /** The use case (or read model) behind it, `<path under src/>#<export>`; a test checks it exists. */
  readonly useCase: string;
  /**
   * Whether the answer can show a person's data to someone other than that person (staff reading a
   * citizen's application, account or audit history). Such a reading must be recorded in that person's
   * data-access log before the answer is given (issue 18 checks it from this column).
   */
  readonly readsPersonalData: boolean;
}

const SIGNED_IN: readonly Caller[] = ['CITIZEN', 'BUSINESS'];
const EVERYONE = CALLERS;
const APPLICANTS: readonly Caller[] = ['CITIZEN', 'BUSINESS', 'FOREIGNER'];

/**
 * The one access table: every Query, Mutation and Subscription field of the served schema, who may
 * call it, how everyone else is refused, the use case behind it, and whether its answer reads a
 * person's data. test/api/access-table.e2e.spec.ts fails on a field without a row and checks each
 * row's refusal over HTTP. The applications' ACTS table (src/domain/application/acts.ts) decides who
 * may act on one application; this table decides who may ask at all.
 */
// biome-ignore format: one line per operation, read as a table
export const ROLE_GATES = {
  // ---------- queries ----------
  me: { on: 'Query', callers: EVERYONE, refusal: 'NONE', useCase: 'app/account/results.ts#accountView', readsPersonalData: false },
  services: { on: 'Query', callers: EVERYONE, refusal: 'NONE', useCase: 'domain/catalogue/services.ts#servicesFor', readsPersonalData: false },
  application: { on: 'Query', callers: ['CITIZEN', 'BUSINESS', 'CASEWORKER', 'AUDITOR'], refusal: 'HIDDEN', useCase: 'app/applications/read-access.ts#visibleApplication', readsPersonalData: true },
  myApplications: { on: 'Query', callers: SIGNED_IN, refusal: 'SESSION', useCase: 'projections/application-queries.ts#applicationsOfApplicant', readsPersonalData: false },
  applicationByTrackingCode: { on: 'Query', callers: EVERYONE, refusal: 'NONE', useCase: 'app/applications/read-access.ts#applicationForTrackingCode', readsPersonalData: false },
  caseQueue: { on: 'Query', callers: ['CASEWORKER'], refusal: 'ROLE', institution: true, useCase: 'projections/application-queries.ts#institutionQueue', readsPersonalData: true },
  accountStatus: { on: 'Query', callers: ['HELPDESK', 'AUDITOR'], refusal: 'ROLE', useCase: 'app/account/helpdesk.ts#accountStatus', readsPersonalData: true },
  auditLog: { on: 'Query', callers: ['AUDITOR'], refusal: 'ROLE', useCase: 'app/audit/audit-log.ts#queryAuditLog', readsPersonalData: true },
  verifyAuditChain: { on: 'Query', callers: ['AUDITOR'], refusal: 'ROLE', useCase: 'app/audit/verify-store.ts#verifyStore', readsPersonalData: false },
  myDataAccess: { on: 'Query', callers: SIGNED_IN, refusal: 'SESSION', useCase: 'projections/data-access.ts#dataAccessProjection', readsPersonalData: false },

  // ---------- registration and sign-in ----------
  // registerBusiness: only the business's administrator, signed in to their own citizen account.
  registerCitizen: { on: 'Mutation', callers: EVERYONE, refusal: 'NONE', useCase: 'app/account/registration.ts#registerCitizen', readsPersonalData: false },
  registerBusiness: { on: 'Mutation', callers: ['CITIZEN'], refusal: { field: 'administratorNid', code: 'ADMINISTRATOR_SIGN_IN_REQUIRED' }, useCase: 'app/account/registration.ts#registerBusiness', readsPersonalData: false },
  confirmRegistration: { on: 'Mutation', callers: EVERYONE, refusal: 'NONE', useCase: 'app/account/registration.ts#confirmRegistration', readsPersonalData: false },
  startLogin: { on: 'Mutation', callers: EVERYONE, refusal: 'NONE', useCase: 'app/account/sign-in.ts#startLogin', readsPersonalData: false },
  completeLogin: { on: 'Mutation', callers: EVERYONE, refusal: 'NONE', useCase: 'app/account/sign-in.ts#completeLogin', readsPersonalData: false },
  resendCode: { on: 'Mutation', callers: EVERYONE, refusal: 'NONE', useCase: 'app/account/sign-in.ts#resendCode', readsPersonalData: false },
  logout: { on: 'Mutation', callers: EVERYONE, refusal: 'NONE', useCase: 'app/account/sign-in.ts#logout', readsPersonalData: false },

  // ---------- the signed-in person's own account ----------
  startContactChange: { on: 'Mutation', callers: SIGNED_IN, refusal: 'SESSION', useCase: 'app/account/contact-change.ts#startContactChange', readsPersonalData: false },
  completeContactChange: { on: 'Mutation', callers: SIGNED_IN, refusal: 'SESSION', useCase: 'app/account/contact-change.ts#completeContactChange', readsPersonalData: false },
  startPasswordChange: { on: 'Mutation', callers: SIGNED_IN, refusal: 'SESSION', useCase: 'app/account/password-change.ts#startPasswordChange', readsPersonalData: false },
  completePasswordChange: { on: 'Mutation', callers: SIGNED_IN, refusal: 'SESSION', useCase: 'app/account/password-change.ts#completePasswordChange', readsPersonalData: false },

  // ---------- recovery (no session: the holder of the recovery id or change token) ----------
  setNewPassword: { on: 'Mutation', callers: EVERYONE, refusal: 'NONE', useCase: 'app/account/recovery-password.ts#setNewPassword', readsPersonalData: false },
  startPasswordRecovery: { on: 'Mutation', callers: EVERYONE, refusal: 'NONE', useCase: 'app/account/recovery.ts#startPasswordRecovery', readsPersonalData: false },
  verifyRecoveryCode: { on: 'Mutation', callers: EVERYONE, refusal: 'NONE', useCase: 'app/account/recovery.ts#verifyRecoveryCode', readsPersonalData: false },
  answerSecurityQuestion: { on: 'Mutation', callers: EVERYONE, refusal: 'NONE', useCase: 'app/account/recovery.ts#answerSecurityQuestion', readsPersonalData: false },
  confirmRecoveryEmail: { on: 'Mutation', callers: EVERYONE, refusal: 'NONE', useCase: 'app/account/recovery.ts#confirmRecoveryEmail', readsPersonalData: false },
  resendRecoveryCode: { on: 'Mutation', callers: EVERYONE, refusal: 'NONE', useCase: 'app/account/recovery.ts#resendRecoveryCode', readsPersonalData: false },

  // ---------- staff ----------
  regeneratePassword: { on: 'Mutation', callers: ['HELPDESK'], refusal: 'ROLE', useCase: 'app/account/helpdesk.ts#regeneratePassword', readsPersonalData: true },
  unlockAccount: { on: 'Mutation', callers: ['HELPDESK', 'ADMIN'], refusal: 'ROLE', useCase: 'app/account/helpdesk.ts#unlockAccount', readsPersonalData: true },
  // The answer (RoleChanged) shows the account changed: its identifier, name, e-mail and phone.
  grantRole: { on: 'Mutation', callers: ['ADMIN'], refusal: 'ROLE', useCase: 'app/account/roles.ts#changeRole', readsPersonalData: true },
  revokeRole: { on: 'Mutation', callers: ['ADMIN'], refusal: 'ROLE', useCase: 'app/account/roles.ts#changeRole', readsPersonalData: true },

  // ---------- applications ----------
  applyForService: { on: 'Mutation', callers: SIGNED_IN, refusal: 'SESSION', useCase: 'app/applications/submission.ts#applyForService', readsPersonalData: false },
  applyAsForeigner: { on: 'Mutation', callers: EVERYONE, refusal: 'NONE', useCase: 'app/applications/submission.ts#applyAsForeigner', readsPersonalData: false },
  withdrawApplication: { on: 'Mutation', callers: APPLICANTS, refusal: 'APPLICATION_ACT', useCase: 'app/applications/actions.ts#actOnApplication', readsPersonalData: false },
  provideInformation: { on: 'Mutation', callers: APPLICANTS, refusal: 'APPLICATION_ACT', useCase: 'app/applications/actions.ts#actOnApplication', readsPersonalData: false },
  rateService: { on: 'Mutation', callers: APPLICANTS, refusal: 'APPLICATION_ACT', useCase: 'app/applications/actions.ts#actOnApplication', readsPersonalData: false },
  // The caseworkers' acts answer with the whole application: a reading of the applicant's data.
  assignApplication: { on: 'Mutation', callers: ['CASEWORKER'], refusal: 'APPLICATION_ACT', useCase: 'app/applications/actions.ts#actOnApplication', readsPersonalData: true },
  requestInformation: { on: 'Mutation', callers: ['CASEWORKER'], refusal: 'APPLICATION_ACT', useCase: 'app/applications/actions.ts#actOnApplication', readsPersonalData: true },
  approveApplication: { on: 'Mutation', callers: ['CASEWORKER'], refusal: 'APPLICATION_ACT', useCase: 'app/applications/actions.ts#actOnApplication', readsPersonalData: true },
  rejectApplication: { on: 'Mutation', callers: ['CASEWORKER'], refusal: 'APPLICATION_ACT', useCase: 'app/applications/actions.ts#actOnApplication', readsPersonalData: true },

  // ---------- subscriptions ----------
  applicationUpdated: { on: 'Subscription', callers: ['CITIZEN', 'BUSINESS', 'FOREIGNER', 'CASEWORKER', 'AUDITOR'], refusal: 'HIDDEN_ERROR', useCase: 'app/applications/read-access.ts#visibleApplication', readsPersonalData: true },
} as const satisfies Record<string, Access>;

export type Operation = keyof typeof ROLE_GATES;

/** The operations a role gate guards (refusal ROLE): the ones passGate takes. */
export type GatedOperation = {
  [O in Operation]: (typeof ROLE_GATES)[O]['refusal'] extends 'ROLE' ? O : never;
}[Operation];
export type GateRole<O extends GatedOperation> = Extract<(typeof ROLE_GATES)[O]['callers'][number], Role>;

/** Own rows only: a name such as `toString` or `__proto__` is no operation of the table. */
export const isOperation = (operation: string): operation is Operation =>
  Object.hasOwn(ROLE_GATES, operation);

/** A row guarded by a role gate; every other row's callers are judged by its use case. */
export const isGatedOperation = (operation: string): operation is GatedOperation =>
  isOperation(operation) && ROLE_GATES[operation].refusal === 'ROLE';

/**
 * The role the viewer passes the operation's gate in, or null: the operation is refused (FORBIDDEN).
 * An operation the table does not list as role-gated is refused to everyone, so a gate looked up by a
 * name that comes from outside (a GraphQL field's) denies by default.
 */
export function gateRole<O extends GatedOperation>(viewer: Viewer, operation: O): GateRole<O> | null;
export function gateRole(viewer: Viewer, operation: string): Role | null;
export function gateRole(viewer: Viewer, operation: string): Role | null {
  if (!isGatedOperation(operation)) return null;
  const gate: Access = ROLE_GATES[operation];
  if (gate.institution && !viewer.institution) return null;
  const role = gate.callers.find((caller) => viewer.roles.includes(caller as Role));
  return (role as Role | undefined) ?? null;
}
