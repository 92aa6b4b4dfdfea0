import { describe, expect, it } from 'vitest';
import {
  APPLICANT,
  APPLICATION_ID,
  ASSIGNEE,
  AUDITOR,
  asked,
  assigned,
  at,
  CASEWORKER_APPLICANT,
  COLLEAGUE,
  DAY,
  DOC_A,
  DOC_B,
  DOC_C,
  document,
  FOREIGNER,
  givenApplication,
  HISTORY,
  HOUR,
  informationRequested,
  iso,
  judged,
  OTHER_INSTITUTION,
  rated,
  SERVICE,
  STRANGER,
  submission,
  submitted,
  T0,
  TRACKING_HASH,
} from '../../../test/support/application-fixtures.js';
import type { Accessor } from './access.js';
import type { ApplicationAct, AttachableDocument, SubmitApplication } from './commands.js';
import type { ApplicationEvent, ApplicationStatus } from './events.js';
import type { ApplicationDecision } from './outcomes.js';
import { documentListRefusal, MAX_DOCUMENT_IDS, MAX_EXTRA_DOCUMENTS } from './rules.js';
import { evolve } from './state.js';

const NOW = at(DAY);
const ACCEPTED = { kind: 'ACCEPTED' } as const;
const refused = (field: string, code: string) => ({ events: [], outcome: { kind: 'REFUSED', field, code } });
const NOT_FOUND = { events: [], outcome: { kind: 'NOT_FOUND' } };
const FORBIDDEN = { events: [], outcome: { kind: 'FORBIDDEN' } };
const NOT_IN_STATUS = refused('status', 'NOT_ALLOWED_IN_STATUS');

describe('submitting an application', () => {
  it('records the submission, each document in order, then each registry reading', () => {
    const reading = {
      registry: 'civil-registry',
      reference: 'citizens/J00101999W',
      digest: 'd'.repeat(64),
      retrievedAt: T0.toISOString(),
      data: { nid: 'J00101999W' },
    };
    expect(givenApplication().when(submission({ registryReadings: [reading] }))).toEqual({
      events: [
        submitted(),
        attachedEvent(DOC_A, T0.toISOString()),
        attachedEvent(DOC_B, T0.toISOString()),
        {
          type: 'RegistryDataAttached',
          data: {
            applicationId: APPLICATION_ID,
            registry: 'civil-registry',
            digest: 'd'.repeat(64),
            retrievedAt: T0.toISOString(),
            personal: { reference: 'citizens/J00101999W', data: { nid: 'J00101999W' } },
          },
        },
      ],
      outcome: ACCEPTED,
    });
  });

  it('is due deadlineDays after it was submitted, and keeps the form data (none as null)', () => {
    const { events } = givenApplication().when(submission({ formData: { purpose: 'test' } }));
    expect(events[0]?.data).toMatchObject({
      submittedAt: T0.toISOString(),
      dueAt: new Date(T0.getTime() + SERVICE.deadlineDays * DAY).toISOString(),
      personal: { formData: { purpose: 'test' } },
    });
    expect(givenApplication().when(submission({ formData: undefined })).events[0]?.data).toMatchObject({
      personal: { formData: null },
    });
  });

  it('records a foreign national by the hash of the tracking code, without an account', () => {
    const command = submission({
      applicant: {
        kind: 'FOREIGNER',
        accountId: null,
        trackingCodeHash: TRACKING_HASH,
        personal: {
          displayName: 'Jane Roe',
          identifier: 'X1234567',
          email: 'jane@example.org',
          nationality: 'DE',
        },
      },
    });
    expect(givenApplication().when(command).events[0]?.data).toMatchObject({
      applicant: { kind: 'FOREIGNER', accountId: null, trackingCodeHash: TRACKING_HASH },
    });
  });

  it.each([
    ['an application that exists', [submitted()], {}, refused('id', 'ALREADY_SUBMITTED')],
    ['an unknown service', [], { service: undefined }, refused('serviceId', 'UNKNOWN_SERVICE')],
    [
      'a service not offered to the applicant',
      [],
      { service: { ...SERVICE, audiences: ['BUSINESS' as const] } },
      refused('serviceId', 'NOT_FOR_AUDIENCE'),
    ],
    [
      'one document named twice (before the count)',
      [],
      { documents: [judged(DOC_A), judged(DOC_A), judged(DOC_B)] },
      refused('documentIds', 'DUPLICATE_DOCUMENT'),
    ],
    [
      `more than ${MAX_DOCUMENT_IDS} documents (before the count)`,
      [],
      { documents: many(MAX_DOCUMENT_IDS + 1).map(judged) },
      refused('documentIds', 'TOO_MANY_DOCUMENTS'),
    ],
    [
      `${MAX_DOCUMENT_IDS} documents, which the count refuses`,
      [],
      { documents: many(MAX_DOCUMENT_IDS).map(judged) },
      refused('documentIds', 'DOCUMENTS_REQUIRED'),
    ],
    ['too few documents', [], { documents: [judged(DOC_A)] }, refused('documentIds', 'DOCUMENTS_REQUIRED')],
    [
      'more documents than required',
      [],
      { documents: [judged(DOC_A), judged(DOC_B), judged(DOC_C)] },
      refused('documentIds', 'DOCUMENTS_REQUIRED'),
    ],
    [
      'a document that is not the applicant’s',
      [],
      { documents: [judged(DOC_A), { documentId: DOC_B, verdict: 'UNKNOWN_DOCUMENT' as const }] },
      refused('documentIds', 'UNKNOWN_DOCUMENT'),
    ],
    [
      'a document another application holds',
      [],
      { documents: [{ documentId: DOC_A, verdict: 'DOCUMENT_ALREADY_ATTACHED' as const }, judged(DOC_B)] },
      refused('documentIds', 'DOCUMENT_ALREADY_ATTACHED'),
    ],
    [
      'a document judged OK but not described',
      [],
      { documents: [judged(DOC_A), { documentId: DOC_B, verdict: 'OK' as const }] },
      refused('documentIds', 'UNKNOWN_DOCUMENT'),
    ],
  ] as Array<[string, ApplicationEvent[], Partial<SubmitApplication>, ApplicationDecision]>)(
    'refuses %s',
    (_name, history, overrides, refusal) => {
      expect(givenApplication(...history).when(submission(overrides))).toEqual(refusal);
    },
  );
});

describe('assigning', () => {
  it('a caseworker of the institution takes a submitted case, which puts it in review', () => {
    const given = givenApplication(...HISTORY.SUBMITTED);
    const decision = given.when(
      asked({ type: 'AssignApplication', assigneeDisplay: 'Caseworker, DPGJC' }, ASSIGNEE),
    );
    expect(decision).toEqual({
      events: [
        {
          type: 'ApplicationAssigned',
          data: {
            applicationId: APPLICATION_ID,
            assigneeAccountId: ASSIGNEE.accountId,
            assignee: 'Caseworker, DPGJC',
            assignedAt: NOW.toISOString(),
          },
        },
      ],
      outcome: ACCEPTED,
    });
    expect(givenApplication(...HISTORY.SUBMITTED, ...decision.events).state).toMatchObject({
      status: 'IN_REVIEW',
      assigneeAccountId: ASSIGNEE.accountId,
    });
  });

  it('a colleague takes the case over, in the status it is in', () => {
    const decision = givenApplication(...HISTORY.INFORMATION_REQUESTED).when(
      asked({ type: 'AssignApplication', assigneeDisplay: 'Caseworker, DPGJC' }, COLLEAGUE),
    );
    expect(decision.events).toEqual([assignedNow(COLLEAGUE)]);
    expect(givenApplication(...HISTORY.INFORMATION_REQUESTED, ...decision.events).state).toMatchObject({
      status: 'INFORMATION_REQUESTED',
      assigneeAccountId: COLLEAGUE.accountId,
    });
  });

  it('taking a case one already holds changes nothing', () => {
    expect(
      givenApplication(...HISTORY.IN_REVIEW).when(
        asked({ type: 'AssignApplication', assigneeDisplay: 'Caseworker, DPGJC' }, ASSIGNEE),
      ),
    ).toEqual({ events: [], outcome: ACCEPTED });
  });

  it('a caseworker may not take her own application', () => {
    expect(
      givenApplication(submitted(CASEWORKER_APPLICANT)).when(
        asked({ type: 'AssignApplication', assigneeDisplay: 'Caseworker, DPGJC' }, CASEWORKER_APPLICANT),
      ),
    ).toEqual(FORBIDDEN);
  });
});

describe('asking for and providing information', () => {
  it('the assignee asks the applicant for more', () => {
    expect(
      givenApplication(...HISTORY.IN_REVIEW).when(
        asked({ type: 'RequestInformation', message: 'A stamp' }, ASSIGNEE),
      ),
    ).toEqual({
      events: [
        {
          type: 'InformationRequested',
          data: { applicationId: APPLICATION_ID, message: 'A stamp', requestedAt: NOW.toISOString() },
        },
      ],
      outcome: ACCEPTED,
    });
  });

  it('the applicant answers with documents, attached before the answer, and the case is back in review', () => {
    const decision = givenApplication(...HISTORY.INFORMATION_REQUESTED).when(
      provide([document(DOC_C), document(DOC_A)], APPLICANT),
    );
    expect(decision).toEqual({
      events: [
        attachedEvent(DOC_C, NOW.toISOString()),
        attachedEvent(DOC_A, NOW.toISOString()),
        {
          type: 'InformationProvided',
          data: {
            applicationId: APPLICATION_ID,
            providedAt: NOW.toISOString(),
            personal: { message: 'Here' },
          },
        },
      ],
      outcome: ACCEPTED,
    });
    expect(givenApplication(...HISTORY.INFORMATION_REQUESTED, ...decision.events).state).toMatchObject({
      status: 'IN_REVIEW',
      documentIds: [DOC_C, DOC_A],
    });
  });

  it('a foreign national answers with the tracking code', () => {
    const history = [submitted(FOREIGNER), assigned(), informationRequested];
    expect(givenApplication(...history).when(provide([], FOREIGNER)).outcome).toEqual(ACCEPTED);
  });

  const extra = (n: number) => many(n).map(document);

  it('attaches whatever documents the handler judged attachable: the list is checked before (documentListRefusal)', () => {
    const given = givenApplication(...HISTORY.INFORMATION_REQUESTED);
    expect(given.when(provide(extra(MAX_EXTRA_DOCUMENTS + 1), APPLICANT))).toEqual({
      events: [
        ...many(MAX_EXTRA_DOCUMENTS + 1).map((id) => attachedEvent(id, NOW.toISOString())),
        {
          type: 'InformationProvided',
          data: {
            applicationId: APPLICATION_ID,
            providedAt: NOW.toISOString(),
            personal: { message: 'Here' },
          },
        },
      ],
      outcome: ACCEPTED,
    });
  });

  it('judges who asks and the status, so a stranger learns nothing (the handler probes this before the documents)', () => {
    const tooMany = extra(MAX_EXTRA_DOCUMENTS + 1);
    expect(givenApplication(...HISTORY.INFORMATION_REQUESTED).when(provide(tooMany, STRANGER))).toEqual(
      NOT_FOUND,
    );
    expect(givenApplication(...HISTORY.IN_REVIEW).when(provide(tooMany, APPLICANT))).toEqual(NOT_IN_STATUS);
  });
});

describe('the check of a named list of documents (documentListRefusal)', () => {
  const ids = (n: number) => many(n);

  it(`takes up to ${MAX_EXTRA_DOCUMENTS} additional documents, and refuses more`, () => {
    expect(documentListRefusal([], MAX_EXTRA_DOCUMENTS)).toBeNull();
    expect(documentListRefusal(ids(MAX_EXTRA_DOCUMENTS), MAX_EXTRA_DOCUMENTS)).toBeNull();
    expect(documentListRefusal(ids(MAX_EXTRA_DOCUMENTS + 1), MAX_EXTRA_DOCUMENTS)).toEqual(
      refused('documentIds', 'TOO_MANY_DOCUMENTS').outcome,
    );
  });

  it('refuses one document named twice', () => {
    expect(documentListRefusal([DOC_A, DOC_B, DOC_A], MAX_EXTRA_DOCUMENTS)).toEqual(
      refused('documentIds', 'DUPLICATE_DOCUMENT').outcome,
    );
  });

  it('counts before it looks for duplicates', () => {
    expect(documentListRefusal([...ids(MAX_EXTRA_DOCUMENTS), DOC_A, DOC_A], MAX_EXTRA_DOCUMENTS)).toEqual(
      refused('documentIds', 'TOO_MANY_DOCUMENTS').outcome,
    );
  });

  it('bounds any list a request may carry at twice what a step may use', () => {
    expect(MAX_DOCUMENT_IDS).toBe(2 * MAX_EXTRA_DOCUMENTS);
  });
});

describe('deciding and withdrawing', () => {
  it('the assignee approves with a note', () => {
    expect(
      givenApplication(...HISTORY.IN_REVIEW).when(
        asked({ type: 'ApproveApplication', note: 'Fine' }, ASSIGNEE),
      ),
    ).toEqual({
      events: [
        {
          type: 'ApplicationApproved',
          data: { applicationId: APPLICATION_ID, note: 'Fine', approvedAt: NOW.toISOString() },
        },
      ],
      outcome: ACCEPTED,
    });
  });

  it('the assignee rejects, also while waiting for information', () => {
    expect(
      givenApplication(...HISTORY.INFORMATION_REQUESTED).when(
        asked({ type: 'RejectApplication', reason: 'Late' }, ASSIGNEE),
      ),
    ).toEqual({
      events: [
        {
          type: 'ApplicationRejected',
          data: { applicationId: APPLICATION_ID, reason: 'Late', rejectedAt: NOW.toISOString() },
        },
      ],
      outcome: ACCEPTED,
    });
  });

  it('the applicant withdraws an open application', () => {
    expect(
      givenApplication(...HISTORY.SUBMITTED).when(asked({ type: 'WithdrawApplication' }, APPLICANT)),
    ).toEqual({
      events: [
        {
          type: 'ApplicationWithdrawn',
          data: { applicationId: APPLICATION_ID, withdrawnAt: NOW.toISOString() },
        },
      ],
      outcome: ACCEPTED,
    });
  });
});

describe('marking an application overdue', () => {
  const overdue = (ms: number) => asked({ type: 'MarkOverdue' }, 'SYSTEM', at(ms));
  const due = SERVICE.deadlineDays * DAY;

  it('records it once the due time has passed', () => {
    expect(givenApplication(...HISTORY.IN_REVIEW).when(overdue(due + 1))).toEqual({
      events: [
        {
          type: 'ApplicationOverdue',
          data: { applicationId: APPLICATION_ID, dueAt: iso(due), recordedAt: iso(due + 1) },
        },
      ],
      outcome: ACCEPTED,
    });
  });

  it('records nothing up to the due time itself, nor a second time', () => {
    expect(givenApplication(...HISTORY.IN_REVIEW).when(overdue(due))).toEqual({
      events: [],
      outcome: ACCEPTED,
    });
    const recorded = givenApplication(...HISTORY.IN_REVIEW).when(overdue(due + 1)).events;
    expect(givenApplication(...HISTORY.IN_REVIEW, ...recorded).when(overdue(due + DAY))).toEqual({
      events: [],
      outcome: ACCEPTED,
    });
  });

  it('is the system’s to record, and only while the application is open', () => {
    expect(
      givenApplication(...HISTORY.IN_REVIEW).when(asked({ type: 'MarkOverdue' }, ASSIGNEE, at(due + 1))),
    ).toEqual(FORBIDDEN);
    expect(givenApplication(...HISTORY.APPROVED).when(overdue(due + 1))).toEqual(NOT_IN_STATUS);
  });
});

describe('rating the service', () => {
  const rate = (stars: number, comment: string | null = null) =>
    asked({ type: 'RateService', stars, comment }, APPLICANT);

  it('the applicant rates a decided application once', () => {
    expect(givenApplication(...HISTORY.REJECTED).when(rate(2, 'Slow'))).toEqual({
      events: [
        {
          type: 'ServiceRated',
          data: {
            applicationId: APPLICATION_ID,
            serviceId: SERVICE.id,
            stars: 2,
            ratedAt: NOW.toISOString(),
            personal: { comment: 'Slow' },
          },
        },
      ],
      outcome: ACCEPTED,
    });
    expect(givenApplication(...HISTORY.APPROVED, rated).when(rate(5))).toEqual(
      refused('applicationId', 'ALREADY_RATED'),
    );
  });

  it.each([0, 6, 2.5])('refuses %s stars', (stars) => {
    expect(givenApplication(...HISTORY.APPROVED).when(rate(stars))).toEqual(refused('stars', 'OUT_OF_RANGE'));
  });
});

/**
 * Status e-mail outcomes are appended by the app (src/app/applications/notify.ts), not decided here:
 * folding them changes nothing the decider reads.
 */
describe('folding status e-mail outcomes', () => {
  const delivered: ApplicationEvent = {
    type: 'StatusEmailDelivered',
    data: {
      applicationId: APPLICATION_ID,
      status: 'IN_REVIEW',
      providerId: 'smtp-1',
      deliveredAt: iso(HOUR),
    },
  };
  const failed: ApplicationEvent = {
    type: 'StatusEmailDeliveryFailed',
    data: {
      applicationId: APPLICATION_ID,
      status: 'WITHDRAWN',
      error: 'mailbox full',
      retryable: false,
      failedAt: iso(2 * HOUR),
    },
  };

  it.each(Object.entries(HISTORY))('leaves an application in %s as it was', (_status, history) => {
    const { state } = givenApplication(...history);
    expect(evolve(evolve(state, delivered), failed)).toEqual(state);
  });

  it('leaves a missing application missing', () => {
    expect(givenApplication(delivered, failed).state).toEqual({ status: 'NONE' });
  });
});

/**
 * The ACTS table as facts, written apart from the code: who may do what, from which statuses. Whoever
 * may not see the application hears NOT_FOUND first; who may see it but not act, FORBIDDEN; then the
 * status is judged.
 */
describe('who may act, in which status', () => {
  const OPEN: ApplicationStatus[] = ['SUBMITTED', 'IN_REVIEW', 'INFORMATION_REQUESTED'];
  const ALL: ApplicationStatus[] = [...OPEN, 'APPROVED', 'REJECTED', 'WITHDRAWN'];
  type Who = 'APPLICANT' | 'STAFF' | 'ASSIGNEE' | 'SYSTEM';
  const RULES: Array<[ApplicationAct, Who, ApplicationStatus[]]> = [
    [{ type: 'AssignApplication', assigneeDisplay: 'Caseworker, DPGJC' }, 'STAFF', OPEN],
    [{ type: 'RequestInformation', message: 'More' }, 'ASSIGNEE', ['IN_REVIEW']],
    [{ type: 'ProvideInformation', message: 'Here', documents: [] }, 'APPLICANT', ['INFORMATION_REQUESTED']],
    [{ type: 'ApproveApplication', note: null }, 'ASSIGNEE', ['IN_REVIEW']],
    [{ type: 'RejectApplication', reason: 'No' }, 'ASSIGNEE', ['IN_REVIEW', 'INFORMATION_REQUESTED']],
    [{ type: 'WithdrawApplication' }, 'APPLICANT', OPEN],
    [{ type: 'RateService', stars: 5, comment: null }, 'APPLICANT', ['APPROVED', 'REJECTED']],
    [{ type: 'MarkOverdue' }, 'SYSTEM', OPEN],
  ];
  const ASKERS: Array<[string, Accessor | 'SYSTEM', Who | 'SEES' | 'STRANGER']> = [
    ['the applicant', APPLICANT, 'APPLICANT'],
    ['the assignee', ASSIGNEE, 'ASSIGNEE'],
    ['a colleague of the assignee', COLLEAGUE, 'STAFF'],
    ['an auditor', AUDITOR, 'SEES'],
    ['a caseworker of another institution', OTHER_INSTITUTION, 'STRANGER'],
    ['a stranger', STRANGER, 'STRANGER'],
    ['the system', 'SYSTEM', 'SYSTEM'],
  ];

  function expected(
    by: Who,
    from: ApplicationStatus[],
    status: ApplicationStatus,
    asker: Who | 'SEES' | 'STRANGER',
  ) {
    if (asker === 'STRANGER') return NOT_FOUND;
    // Before assignment the assignee-to-be is staff like any colleague.
    const role = asker === 'ASSIGNEE' && status === 'SUBMITTED' ? 'STAFF' : asker;
    const may = by === role || (by === 'STAFF' && role === 'ASSIGNEE');
    if (!may) return FORBIDDEN;
    return from.includes(status) ? { outcome: ACCEPTED } : NOT_IN_STATUS;
  }

  for (const [action, by, from] of RULES)
    describe(action.type, () => {
      it.each(
        ALL.flatMap((status) => ASKERS.map(([name, who, asker]) => [status, name, who, asker] as const)),
      )('in %s, asked by %s', (status, _name, who, asker) => {
        const decision: ApplicationDecision = givenApplication(...HISTORY[status]).when(asked(action, who));
        const want = expected(by, from, status, asker);
        if ('events' in want) expect(decision).toEqual(want);
        else expect(decision.outcome).toEqual(want.outcome);
      });
    });

  it('nobody acts on an application that does not exist', () => {
    expect(givenApplication().when(asked({ type: 'WithdrawApplication' }, APPLICANT))).toEqual(NOT_FOUND);
    expect(givenApplication().when(asked({ type: 'MarkOverdue' }, 'SYSTEM'))).toEqual(NOT_FOUND);
  });

  it('a caseworker who applied is the applicant to her own application, not its staff', () => {
    const history = [submitted(CASEWORKER_APPLICANT), assigned(CASEWORKER_APPLICANT)];
    expect(
      givenApplication(...history).when(
        asked({ type: 'ApproveApplication', note: null }, CASEWORKER_APPLICANT),
      ),
    ).toEqual(FORBIDDEN);
    expect(
      givenApplication(...history).when(asked({ type: 'WithdrawApplication' }, CASEWORKER_APPLICANT)).outcome,
    ).toEqual(ACCEPTED);
  });
});

// ---------- small builders ----------

/** `n` distinct document ids. */
function many(n: number): string[] {
  return Array.from({ length: n }, (_, i) => i.toString(16).padStart(32, 'e'));
}

const provide = (documents: AttachableDocument[], who: Accessor) =>
  asked({ type: 'ProvideInformation', message: 'Here', documents }, who);

function attachedEvent(documentId: string, attachedAt: string): ApplicationEvent {
  const d = document(documentId);
  return {
    type: 'DocumentAttached',
    data: {
      applicationId: APPLICATION_ID,
      documentId,
      size: d.size,
      sha256: d.sha256,
      attachedAt,
      personal: { fileName: d.fileName },
    },
  };
}

const assignedNow = (to: Accessor): ApplicationEvent => {
  const event = assigned(to);
  return { ...event, data: { ...event.data, assignedAt: NOW.toISOString() } } as ApplicationEvent;
};

it('has a history for every status, so the table above covers them all', () => {
  for (const [status, history] of Object.entries(HISTORY))
    expect(givenApplication(...history).state.status).toBe(status);
});
