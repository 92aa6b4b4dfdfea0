import type { Readable } from 'node:stream';
import { type Accessor, maySee, standingOf } from '../../domain/application/access.js';
import { applicationModel } from '../../domain/application/decide.js';
import type { ExistingApplication } from '../../domain/application/state.js';
import { decide as decideDocument, documentModel } from '../../domain/document/decide.js';
import type { DocumentState } from '../../domain/document/state.js';
import { systemActor } from '../../domain/shared/events.js';
import { isDocumentId } from '../../domain/shared/ids.js';
import { applicationStream, documentStream } from '../../domain/shared/streams.js';
import type { CommandMeta } from '../command-handler.js';
import type { Services } from '../services.js';
import { claimantOf } from './document-claims.js';

export type UploadedDocument = Exclude<DocumentState, { status: 'NONE' }>;

const safeFileName = (name: string | undefined) =>
  (name ?? '')
    // Control characters, quotes and path separators would be trouble in a Content-Disposition header.
    .split('')
    .map((c) => (c.charCodeAt(0) < 0x20 || c.charCodeAt(0) === 0x7f || '"\\/'.includes(c) ? '_' : c))
    .join('')
    .trim()
    .slice(0, 200) || 'document.pdf';

/**
 * Streams one upload to disk (refused while streaming when too large or not a PDF), then records
 * DocumentUploaded in the document's own stream. Should the append fail, the blob is removed: no
 * file exists that the log does not know.
 */
export async function uploadDocument(
  services: Pick<Services, 'blobs' | 'clock' | 'commands' | 'projections'>,
  source: Readable,
  fileName: string | undefined,
  uploaderAccountId: string | null,
  meta: CommandMeta,
): Promise<UploadedDocument> {
  const blob = await services.blobs.write(source);
  try {
    const outcome = await services.commands.execute(
      documentStream(blob.id),
      documentModel,
      ({ state }) => {
        const { events, outcome } = decideDocument(
          {
            type: 'RecordUpload',
            documentId: blob.id,
            uploaderAccountId,
            size: blob.size,
            sha256: blob.sha256,
            fileName: safeFileName(fileName),
            now: services.clock.now(),
          },
          state,
        );
        if (outcome === 'ALREADY_EXISTS') throw new Error('document id collision');
        return { events, result: null };
      },
      meta,
    );
    await services.projections.waitFor(outcome.position);
  } catch (error) {
    services.blobs.remove(blob.id);
    throw error;
  }
  const { state } = await services.commands.load(documentStream(blob.id), documentModel);
  return state as UploadedDocument;
}

export interface ReadableDocument {
  document: UploadedDocument;
  /** The application that holds it, when the caller reads it through that application (not as uploader). */
  through: ExistingApplication | null;
}

/**
 * Whether the caller may download a document, decided from the streams: the uploader, or whoever may
 * see the application that holds it (its applicant or tracking-code holder, the institution's
 * caseworkers, auditors). null for anyone else, and for what does not exist. `through` says which
 * application gave access, so a staff reading can be recorded in its applicant's log.
 */
export async function readableDocument(
  services: Pick<Services, 'commands'>,
  documentId: string,
  caller: Accessor,
): Promise<ReadableDocument | null> {
  if (!isDocumentId(documentId)) return null;
  const { state } = await services.commands.load(documentStream(documentId), documentModel);
  if (state.status !== 'UPLOADED') return null;
  if (state.uploaderAccountId !== null && state.uploaderAccountId === caller.accountId)
    return { document: state, through: null };
  if (state.claimedBy === null) return null;
  const application = await services.commands.load(applicationStream(state.claimedBy), applicationModel);
  if (application.state.status === 'NONE') return null;
  if (!application.state.documentIds.includes(documentId)) return null;
  return maySee(standingOf(application.state, caller))
    ? { document: state, through: application.state }
    : null;
}

/**
 * Purges one upload that no application holds a day after it arrived (PurgeDocument): the event
 * first, then the blob. Decided from the document's stream and, for a claimed one, its claimant's.
 */
export async function purgeIfUnattached(
  services: Pick<Services, 'blobs' | 'clock' | 'commands'>,
  documentId: string,
): Promise<boolean> {
  const outcome = await services.commands.execute(
    documentStream(documentId),
    documentModel,
    async ({ state }) => {
      const claimant = await claimantOf(services, state, null);
      const { events } = decideDocument(
        { type: 'PurgeDocument', claimant, now: services.clock.now() },
        state,
      );
      return { events, result: events.length > 0 };
    },
    { actor: systemActor('upload purge'), correlationId: `purge-${documentId}` },
  );
  if (outcome.result) services.blobs.remove(documentId);
  return outcome.result;
}
