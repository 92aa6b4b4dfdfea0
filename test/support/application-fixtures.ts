import type { Accessor } from '../../src/domain/application/access.js';
import type {
  ApplicationAct,
  ApplicationCommand,
  AttachableDocument,
  SubmitApplication,
} from '../../src/domain/application/commands.js';
import { decide } from '../../src/domain/application/decide.js';
import type { ApplicationEvent } from '../../src/domain/application/events.js';
import type { ApplicationDecision } from '../../src/domain/application/outcomes.js';
import { type ApplicationState, evolve, initialState } from '../../src/domain/application/state.js';
import type { CatalogueService } from '../../src/domain/catalogue/services.js';
import { type DocumentCommand, decide as decideDocument } from '../../src/domain/document/decide.js';
import type { DocumentEvent } from '../../src/domain/document/events.js';
import {
  type DocumentState,
  evolve as evolveDocument,
  initialState as initialDocumentState,
} from '../../src/domain/document/state.js';

/** A document named in a submission, as the handler judged it (attachVerdict). */
export type JudgedDocument = SubmitApplication['documents'][number];

/** Fixed ids and times: the specs compare whole events. */
export const T0 = new Date('2026-12-01T09:00:00.000Z');
export const MIN = 60_000;
export const HOUR = 60 * MIN;
export const DAY = 24 * HOUR;
export const at = (ms: number) => new Date(T0.getTime() + ms);
export const iso = (ms: number) => at(ms).toISOString();

export const APPLICATION_ID = '11111111-1111-4111-8111-111111111111';
export const OTHER_APPLICATION_ID = '22222222-2222-4222-8222-222222222222';
export const DOC_A = 'a'.repeat(32);
export const DOC_B = 'b'.repeat(32);
export const DOC_C = 'c'.repeat(32);

/** A citizen's service of DPGJC with two required documents and a civil-registry reading. */
export const SERVICE: CatalogueService = {
  id: 'DPGJC-TEST-SERVICE',
  nameSq: 'Shërbim prove',
  nameEn: 'Test service',
  institution: 'DPGJC',
  audiences: ['CITIZEN', 'FOREIGNER'],
  requiredDocuments: [
    { sq: 'Letra e parë', en: 'First paper' },
    { sq: 'Letra e dytë', en: 'Second paper' },
  ],
  deadlineDays: 5,
  registry: 'CIVIL_REGISTRY',
};

// ---------- who asks ----------

const accessor = (
  accountId: string | null,
  roles: string[] = [],
  institution: string | null = null,
  trackingCodeHash: string | null = null,
): Accessor => ({ accountId, roles, institution, trackingCodeHash });

export const APPLICANT = accessor('acc-arben');
/** The DPGJC caseworker who takes the case in every history below. */
export const ASSIGNEE = accessor('acc-dpgjc1', ['CASEWORKER'], 'DPGJC');
/** Another DPGJC caseworker: staff of the institution, not holding the case. */
export const COLLEAGUE = accessor('acc-dpgjc2', ['CASEWORKER'], 'DPGJC');
export const OTHER_INSTITUTION = accessor('acc-dkm', ['CASEWORKER'], 'DKM');
export const AUDITOR = accessor('acc-auditor', ['AUDITOR']);
export const STRANGER = accessor('acc-elira');
/** A DPGJC caseworker who applied herself: to her own application she is the applicant only. */
export const CASEWORKER_APPLICANT = accessor('acc-dpgjc3', ['CASEWORKER'], 'DPGJC');
export const TRACKING_HASH = 'f'.repeat(64);
export const FOREIGNER = accessor(null, [], null, TRACKING_HASH);

// ---------- histories ----------

export const document = (documentId: string): AttachableDocument => ({
  documentId,
  fileName: `${documentId.slice(0, 4)}.pdf`,
  size: 1000,
  sha256: documentId.replace(/./g, '5'),
});
export const judged = (documentId: string): JudgedDocument => ({
  documentId,
  verdict: 'OK',
  document: document(documentId),
});

export function submitted(applicant: Accessor = APPLICANT, submittedAt = T0): ApplicationEvent {
  return {
    type: 'ApplicationSubmitted',
    data: {
      applicationId: APPLICATION_ID,
      serviceId: SERVICE.id,
      institution: SERVICE.institution,
      applicant: {
        kind: applicant.accountId ? 'CITIZEN' : 'FOREIGNER',
        accountId: applicant.accountId,
        trackingCodeHash: applicant.trackingCodeHash,
      },
      submittedAt: submittedAt.toISOString(),
      dueAt: new Date(submittedAt.getTime() + SERVICE.deadlineDays * DAY).toISOString(),
      personal: {
        applicant: { displayName: 'Arben Hoxha', identifier: 'J00101999W', email: null, nationality: null },
        formData: null,
      },
    },
  };
}

export const assigned = (to: Accessor = ASSIGNEE, ms = HOUR): ApplicationEvent => ({
  type: 'ApplicationAssigned',
  data: {
    applicationId: APPLICATION_ID,
    assigneeAccountId: to.accountId!,
    assignee: `Caseworker, ${to.institution}`,
    assignedAt: iso(ms),
  },
});
export const informationRequested: ApplicationEvent = {
  type: 'InformationRequested',
  data: { applicationId: APPLICATION_ID, message: 'More, please', requestedAt: iso(2 * HOUR) },
};
export const approved: ApplicationEvent = {
  type: 'ApplicationApproved',
  data: { applicationId: APPLICATION_ID, note: null, approvedAt: iso(3 * HOUR) },
};
export const rejected: ApplicationEvent = {
  type: 'ApplicationRejected',
  data: { applicationId: APPLICATION_ID, reason: 'No', rejectedAt: iso(3 * HOUR) },
};
export const withdrawn: ApplicationEvent = {
  type: 'ApplicationWithdrawn',
  data: { applicationId: APPLICATION_ID, withdrawnAt: iso(3 * HOUR) },
};
export const rated: ApplicationEvent = {
  type: 'ServiceRated',
  data: {
    applicationId: APPLICATION_ID,
    serviceId: SERVICE.id,
    stars: 4,
    ratedAt: iso(4 * HOUR),
    personal: { comment: null },
  },
};

/** One history per status; every one after SUBMITTED has ASSIGNEE holding the case. */
export const HISTORY = {
  SUBMITTED: [submitted()],
  IN_REVIEW: [submitted(), assigned()],
  INFORMATION_REQUESTED: [submitted(), assigned(), informationRequested],
  APPROVED: [submitted(), assigned(), approved],
  REJECTED: [submitted(), assigned(), rejected],
  WITHDRAWN: [submitted(), assigned(), withdrawn],
} satisfies Record<string, ApplicationEvent[]>;

// ---------- given / when ----------

/** A command on an existing application, asked by `who` at `now` (a day after T0 unless given). */
export const asked = <A extends ApplicationAct>(
  action: A,
  who: Accessor | 'SYSTEM',
  now: Date = at(DAY),
): A & { by: Accessor | 'SYSTEM'; now: Date } => ({ ...action, by: who, now });

export function submission(overrides: Partial<SubmitApplication> = {}): SubmitApplication {
  return {
    type: 'SubmitApplication',
    applicationId: APPLICATION_ID,
    service: SERVICE,
    applicant: {
      kind: 'CITIZEN',
      accountId: APPLICANT.accountId,
      trackingCodeHash: null,
      personal: { displayName: 'Arben Hoxha', identifier: 'J00101999W', email: null, nationality: null },
    },
    documents: [judged(DOC_A), judged(DOC_B)],
    registryReadings: [],
    formData: null,
    now: T0,
    ...overrides,
  };
}

/** given(events).when(command): the application decider on the fold of `events`. */
export function givenApplication(...events: ApplicationEvent[]) {
  const state = events.reduce<ApplicationState>(evolve, initialState());
  return { state, when: (command: ApplicationCommand): ApplicationDecision => decide(command, state) };
}

/** given(events).when(command): the document decider on the fold of `events`. */
export function givenDocument(...events: DocumentEvent[]) {
  const state = events.reduce<DocumentState>(evolveDocument, initialDocumentState());
  return { state, when: (command: DocumentCommand) => decideDocument(command, state) };
}
