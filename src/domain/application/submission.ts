import type { AttachableDocument, SubmitApplication } from './commands.js';
import { type ApplicationEvent, documentAttached } from './events.js';
import { type ApplicationDecision, accepted, refused } from './outcomes.js';
import { documentListRefusal, MAX_DOCUMENT_IDS } from './rules.js';
import type { ApplicationState } from './state.js';

const DAY_MS = 24 * 3600_000;

/** Submission: the service must exist and be open to the applicant, with one PDF per required document. */
export function decideSubmission(state: ApplicationState, command: SubmitApplication): ApplicationDecision {
  const { service, applicant, documents, now } = command;
  if (state.status !== 'NONE') return refused({ kind: 'REFUSED', field: 'id', code: 'ALREADY_SUBMITTED' });
  if (!service) return refused({ kind: 'REFUSED', field: 'serviceId', code: 'UNKNOWN_SERVICE' });
  if (!service.audiences.includes(applicant.kind))
    return refused({ kind: 'REFUSED', field: 'serviceId', code: 'NOT_FOR_AUDIENCE' });
  const ids = documents.map((d) => d.documentId);
  const listRefusal = documentListRefusal(ids, MAX_DOCUMENT_IDS);
  if (listRefusal) return refused(listRefusal);
  if (ids.length !== service.requiredDocuments.length)
    return refused({ kind: 'REFUSED', field: 'documentIds', code: 'DOCUMENTS_REQUIRED' });
  const bad = documents.find((d) => d.verdict !== 'OK' || !d.document);
  if (bad)
    return refused({
      kind: 'REFUSED',
      field: 'documentIds',
      code: bad.verdict === 'OK' ? 'UNKNOWN_DOCUMENT' : bad.verdict,
    });

  const at = now.toISOString();
  const { applicationId } = command;
  return accepted([
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
  ]);
}
