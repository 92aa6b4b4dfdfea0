import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { GRANTABLE_ROLES } from '../../src/domain/account/terms.js';
import {
  type AuditedStreamKind,
  type ReadingSubject,
  readingSubjectOf,
  readingText,
} from '../../src/domain/audit/reading-subject.js';

const APPLICATION = '3f2a9c1e-7b4d-4e8a-9c2b-1d5e6f7a8b9c';
const DOCUMENT = 'a1b2c3d4e5f60718293a4b5c6d7e8f90';
const AT = new Date('2026-12-01T09:30:00.000Z');

const facts = (kind: ReadingSubject['kind'], known: Partial<ReadingSubject> = {}): ReadingSubject => ({
  kind,
  applicationId: null,
  documentId: null,
  asOf: null,
  occasion: null,
  action: null,
  role: null,
  streamKinds: [],
  ...known,
});

describe('what a staff member read: written in one place, read back as facts', () => {
  // Events keep the words they were recorded with: these are the words every reading has had so far.
  it.each([
    [readingText.application(APPLICATION), `Application ${APPLICATION}`],
    [readingText.application(APPLICATION, AT), `Application ${APPLICATION} as of 2026-12-01T09:30:00.000Z`],
    [readingText.applicationInCaseQueue(APPLICATION), `Application ${APPLICATION} (case queue)`],
    [readingText.applicationFollowedLive(APPLICATION), `Application ${APPLICATION} (live updates)`],
    [readingText.applicationLiveUpdate(APPLICATION), `Application ${APPLICATION} (live update)`],
    [
      readingText.applicationAnswering(APPLICATION, 'ApproveApplication'),
      `Application ${APPLICATION} (answer to ApproveApplication)`,
    ],
    [readingText.document(DOCUMENT, APPLICATION), `Document ${DOCUMENT} of application ${APPLICATION}`],
    [readingText.accountStatus(), 'Account status'],
    [readingText.accountStatus(AT), 'Account status as of 2026-12-01T09:30:00.000Z'],
    [readingText.accountStatusAnswering('unlockAccount'), 'Account status after unlockAccount'],
    [
      readingText.accountAnsweringRoleChange('GRANT', 'CASEWORKER'),
      'Account (answer to granting the role CASEWORKER)',
    ],
    [
      readingText.accountAnsweringRoleChange('REVOKE', 'AUDITOR'),
      'Account (answer to revoking the role AUDITOR)',
    ],
    [readingText.auditHistory([]), 'Audit history'],
    [
      readingText.auditHistory(['document', 'application', 'other', 'application']),
      'Audit history (application, document, other events)',
    ],
  ])('writes %j as recorded events have it', (written, recorded) => {
    expect(written).toBe(recorded);
  });

  const applicationId = fc.uuid();
  const documentId = fc.stringMatching(/^[0-9a-f]{32}$/);
  const instant = fc.date({ noInvalidDate: true });
  const streamKinds = ['account', 'application', 'attempts', 'data-access', 'document', 'other'] as const;
  const KIND_FACTS: Record<(typeof streamKinds)[number], AuditedStreamKind> = {
    account: 'ACCOUNT',
    application: 'APPLICATION',
    attempts: 'ATTEMPTS',
    'data-access': 'DATA_ACCESS',
    document: 'DOCUMENT',
    other: 'OTHER',
  };
  const applicationActs = [
    ['AssignApplication', 'ASSIGN_APPLICATION'],
    ['RequestInformation', 'REQUEST_INFORMATION'],
    ['ProvideInformation', 'PROVIDE_INFORMATION'],
    ['ApproveApplication', 'APPROVE_APPLICATION'],
    ['RejectApplication', 'REJECT_APPLICATION'],
    ['WithdrawApplication', 'WITHDRAW_APPLICATION'],
    ['RateService', 'RATE_SERVICE'],
    ['MarkOverdue', 'MARK_OVERDUE'],
  ] as const;

  /** Each writer with arbitrary arguments, beside the facts it writes (a new writer fails to compile until it is here). */
  const WRITTEN: Record<keyof typeof readingText, fc.Arbitrary<[string, ReadingSubject]>> = {
    application: fc
      .tuple(applicationId, fc.option(instant, { nil: null }))
      .map(([id, asOf]) => [
        readingText.application(id, asOf),
        facts('APPLICATION', { applicationId: id, asOf: asOf?.toISOString() ?? null }),
      ]),
    applicationInCaseQueue: applicationId.map((id) => [
      readingText.applicationInCaseQueue(id),
      facts('APPLICATION', { applicationId: id, occasion: 'CASE_QUEUE' }),
    ]),
    applicationFollowedLive: applicationId.map((id) => [
      readingText.applicationFollowedLive(id),
      facts('APPLICATION', { applicationId: id, occasion: 'LIVE_UPDATES_STARTED' }),
    ]),
    applicationLiveUpdate: applicationId.map((id) => [
      readingText.applicationLiveUpdate(id),
      facts('APPLICATION', { applicationId: id, occasion: 'LIVE_UPDATE' }),
    ]),
    applicationAnswering: fc
      .tuple(applicationId, fc.constantFrom(...applicationActs))
      .map(([id, [type, action]]) => [
        readingText.applicationAnswering(id, type),
        facts('APPLICATION', { applicationId: id, occasion: 'ANSWER_TO_ACTION', action }),
      ]),
    document: fc
      .tuple(documentId, applicationId)
      .map(([document, application]) => [
        readingText.document(document, application),
        facts('DOCUMENT', { documentId: document, applicationId: application }),
      ]),
    accountStatus: fc
      .option(instant, { nil: null })
      .map((asOf) => [
        readingText.accountStatus(asOf),
        facts('ACCOUNT_STATUS', { asOf: asOf?.toISOString() ?? null }),
      ]),
    accountStatusAnswering: fc
      .constantFrom(
        ['regeneratePassword', 'REGENERATE_PASSWORD'] as const,
        ['unlockAccount', 'UNLOCK_ACCOUNT'] as const,
      )
      .map(([name, action]) => [
        readingText.accountStatusAnswering(name),
        facts('ACCOUNT_STATUS', { occasion: 'ANSWER_TO_ACTION', action }),
      ]),
    accountAnsweringRoleChange: fc
      .tuple(fc.constantFrom('GRANT' as const, 'REVOKE' as const), fc.constantFrom(...GRANTABLE_ROLES))
      .map(([change, role]) => [
        readingText.accountAnsweringRoleChange(change, role),
        facts('ACCOUNT', {
          occasion: 'ANSWER_TO_ACTION',
          action: change === 'GRANT' ? 'GRANT_ROLE' : 'REVOKE_ROLE',
          role,
        }),
      ]),
    // Kinds in any order, repeated: written once each, in the order of their names.
    auditHistory: fc
      .array(fc.constantFrom(...streamKinds), { maxLength: 10 })
      .map((kinds) => [
        readingText.auditHistory(kinds),
        facts('AUDIT_HISTORY', { streamKinds: [...new Set(kinds)].sort().map((kind) => KIND_FACTS[kind]) }),
      ]),
  };

  it.each(Object.keys(WRITTEN) as Array<keyof typeof readingText>)(
    'reads what %s writes back to the facts it was written from',
    (writer) => {
      fc.assert(
        fc.property(WRITTEN[writer], ([text, written]) => {
          expect(readingSubjectOf(text)).toEqual(written);
        }),
      );
    },
  );

  it.each([
    ['', 'nothing'],
    ['Application 1', 'an id the portal does not make'],
    [`Application ${APPLICATION.toUpperCase()}`, 'an id in capitals'],
    [
      `Document passport.pdf of application ${APPLICATION}`,
      'a document named by its file name (an older wording)',
    ],
    ['Audit history (data events)', 'a kind of stream cut at its dash (an older wording)'],
    [`Application ${APPLICATION} (answer to DeleteApplication)`, 'an action no one can take'],
    [`Application ${APPLICATION} as of 2026-13-45T00:00:00.000Z`, 'an instant that is not one'],
    [`Application ${APPLICATION} as of 2026-12-01T09:30:00Z`, 'an instant not as toISOString writes it'],
    ['Account status after deleteAccount', 'a helpdesk action that does not exist'],
    ['Account (answer to granting the role CITIZEN)', 'a role no one grants'],
    ['account status', 'other capitals'],
    [`Application ${APPLICATION} `, 'a space more'],
  ])('answers null for %j (%s)', (what) => {
    expect(readingSubjectOf(what)).toBeNull();
  });

  it('answers any text, known or not, without throwing', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 120 }), (what) => {
        readingSubjectOf(what);
      }),
    );
  });
});
