/**
 * Every field staff can reach that answers a person's data, and so records a reading in that person's
 * data-access log before the answer (src/app/audit/staff-reading.ts). The walk test
 * (test/audit/personal-data-walk.e2e.spec.ts) calls each one and checks the record comes first.
 *
 * Role-gated operations appear under their ROLE_GATES name; the others are reached through an
 * application's own access rule (a caseworker of its institution, an auditor) rather than a gate.
 * A root field belongs here exactly when its ROLE_GATES row says readsPersonalData: true (the walk
 * test checks both agree); the HTTP route is here alone.
 */
export const PERSONAL_DATA_FIELDS = {
  grantRole: { kind: 'Mutation', answers: 'the account: e-mail, phone, name, last sign-in' },
  revokeRole: { kind: 'Mutation', answers: 'the account: e-mail, phone, name, last sign-in' },
  regeneratePassword: { kind: 'Mutation', answers: 'the account status' },
  unlockAccount: { kind: 'Mutation', answers: 'the account status' },
  accountStatus: { kind: 'Query', answers: 'the account status' },
  auditLog: { kind: 'Query', answers: 'events of the people on the page' },
  caseQueue: { kind: 'Query', answers: 'applications of the institution' },
  application: { kind: 'Query', answers: 'the application' },
  assignApplication: { kind: 'Mutation', answers: 'the application' },
  requestInformation: { kind: 'Mutation', answers: 'the application' },
  approveApplication: { kind: 'Mutation', answers: 'the application' },
  rejectApplication: { kind: 'Mutation', answers: 'the application' },
  applicationUpdated: { kind: 'Subscription', answers: 'the application, at every push' },
  'GET /documents/{id}': { kind: 'HTTP', answers: 'an uploaded document' },
} as const;

export type PersonalDataField = keyof typeof PERSONAL_DATA_FIELDS;
