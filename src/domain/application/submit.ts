import type { Audience, CatalogueService } from '../catalogue/services.js';
import { type AttachableDocument, documentAttached, type Refusal } from './decide.js';
import type { ApplicantPersonal, ApplicationEvent } from './events.js';
import type { ApplicationState } from './state.js';

export interface RegistryReading {
  registry: string;
  reference: string;
  digest: string;
  retrievedAt: string;
  data: unknown;
}

export interface SubmitApplication {
  applicationId: string;
  service: CatalogueService | undefined;
  applicant: {
    kind: Audience;
    accountId: string | null;
    trackingCodeHash: string | null;
    personal: ApplicantPersonal;
  };
  /** The documents named by the caller, in order, each judged by attachVerdict in the handler. */
  documents: Array<{
    documentId: string;
    verdict: 'OK' | 'UNKNOWN_DOCUMENT' | 'DOCUMENT_ALREADY_ATTACHED';
    document?: AttachableDocument;
  }>;
  registryReadings: RegistryReading[];
  formData: unknown;
  now: Date;
}

export type SubmitDecision = { kind: 'ACCEPTED'; events: ApplicationEvent[] } | Refusal;

const DAY_MS = 24 * 3600_000;

/** Submission: the service must exist and be open to the applicant, with one PDF per required document. */
export function decideSubmission(state: ApplicationState, command: SubmitApplication): SubmitDecision {
  const { service, applicant, documents, now } = command;
  if (state.status !== 'NONE') return { kind: 'REFUSED', field: 'id', code: 'ALREADY_SUBMITTED' };
  if (!service) return { kind: 'REFUSED', field: 'serviceId', code: 'UNKNOWN_SERVICE' };
  if (!service.audiences.includes(applicant.kind))
    return { kind: 'REFUSED', field: 'serviceId', code: 'NOT_FOR_AUDIENCE' };
  const ids = documents.map((d) => d.documentId);
  if (new Set(ids).size !== ids.length)
    return { kind: 'REFUSED', field: 'documentIds', code: 'DUPLICATE_DOCUMENT' };
  if (ids.length !== service.requiredDocuments.length)
    return { kind: 'REFUSED', field: 'documentIds', code: 'DOCUMENTS_REQUIRED' };
  const bad = documents.find((d) => d.verdict !== 'OK' || !d.document);
  if (bad)
    return {
      kind: 'REFUSED',
      field: 'documentIds',
      code: bad.verdict === 'OK' ? 'UNKNOWN_DOCUMENT' : bad.verdict,
    };

  const at = now.toISOString();
  const { applicationId } = command;
  return {
    kind: 'ACCEPTED',
    events: [
      {
        type: 'ApplicationSubmitted',
        data: {
          applicationId,
          serviceId: service.id,
          institution: service.institution,
          applicant: {
            kind: applicant.kind,
            accountId: applicant.accountId,
            trackingCodeHash: applicant.trackingCodeHash,
          },
          submittedAt: at,
          dueAt: new Date(now.getTime() + service.deadlineDays * DAY_MS).toISOString(),
          personal: { applicant: applicant.personal, formData: command.formData ?? null },
        },
      },
      ...documents.map((d) => documentAttached(applicationId, d.document as AttachableDocument, at)),
      ...command.registryReadings.map(
        (r): ApplicationEvent => ({
          type: 'RegistryDataAttached',
          data: {
            applicationId,
            registry: r.registry,
            digest: r.digest,
            retrievedAt: r.retrievedAt,
            personal: { reference: r.reference, data: r.data },
          },
        }),
      ),
    ],
  };
}
