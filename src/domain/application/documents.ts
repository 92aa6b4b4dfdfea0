import type { StreamModel } from '../../app/command-handler.js';
import type { DomainEvent } from '../shared/events.js';

/**
 * An uploaded document is a stream of its own (`document-<id>`), so who uploaded it, which
 * application holds it and whether it was purged are read from events, never from a table.
 */
export const documentStream = (documentId: string) => `document-${documentId}`;

export type DocumentUploaded = DomainEvent<
  'DocumentUploaded',
  {
    documentId: string;
    /** null for an anonymous upload (a foreign national's): whoever holds the id may attach it. */
    uploaderAccountId: string | null;
    size: number;
    sha256: string;
    uploadedAt: string;
    personal: { fileName: string };
  }
>;

/** The document now belongs to one application; no other may attach it. */
export type DocumentClaimed = DomainEvent<
  'DocumentClaimed',
  { documentId: string; applicationId: string; claimedAt: string }
>;

export type DocumentPurged = DomainEvent<
  'DocumentPurged',
  { documentId: string; reason: 'NOT_ATTACHED'; purgedAt: string }
>;

export type DocumentEvent = DocumentUploaded | DocumentClaimed | DocumentPurged;

export type DocumentState =
  | { status: 'NONE' }
  | {
      status: 'UPLOADED' | 'PURGED';
      documentId: string;
      uploaderAccountId: string | null;
      fileName: string;
      size: number;
      sha256: string;
      uploadedAt: string;
      claimedBy: string | null;
    };

export function evolveDocument(state: DocumentState, event: DocumentEvent): DocumentState {
  switch (event.type) {
    case 'DocumentUploaded':
      return {
        status: 'UPLOADED',
        documentId: event.data.documentId,
        uploaderAccountId: event.data.uploaderAccountId,
        fileName: event.data.personal?.fileName ?? 'document.pdf',
        size: event.data.size,
        sha256: event.data.sha256,
        uploadedAt: event.data.uploadedAt,
        claimedBy: null,
      };
    case 'DocumentClaimed':
      return state.status === 'NONE' ? state : { ...state, claimedBy: event.data.applicationId };
    case 'DocumentPurged':
      return state.status === 'NONE' ? state : { ...state, status: 'PURGED' };
    default: {
      const unknown: never = event;
      return unknown;
    }
  }
}

export const documentModel: StreamModel<DocumentState, DocumentEvent> = {
  name: 'document',
  initial: () => ({ status: 'NONE' }),
  evolve: evolveDocument,
};

export type AttachVerdict = 'OK' | 'UNKNOWN_DOCUMENT' | 'DOCUMENT_ALREADY_ATTACHED';

/**
 * Whether `applicationId`, applied for by `applicantAccountId` (null: a foreign national), may hold
 * this document. Someone else's document answers like a missing one, so ids cannot be probed.
 */
export function attachVerdict(
  document: DocumentState,
  applicantAccountId: string | null,
  applicationId: string,
): AttachVerdict {
  if (document.status !== 'UPLOADED') return 'UNKNOWN_DOCUMENT';
  if (document.uploaderAccountId !== null && document.uploaderAccountId !== applicantAccountId)
    return 'UNKNOWN_DOCUMENT';
  if (document.claimedBy !== null && document.claimedBy !== applicationId) return 'DOCUMENT_ALREADY_ATTACHED';
  return 'OK';
}

/** An anonymous upload that no application claimed within a day is purged (its blob deleted). */
export const UNATTACHED_TTL_MS = 24 * 3600_000;

export function decidePurge(state: DocumentState, now: Date): DocumentPurged[] {
  if (state.status !== 'UPLOADED' || state.claimedBy !== null || state.uploaderAccountId !== null) return [];
  if (Date.parse(state.uploadedAt) + UNATTACHED_TTL_MS > now.getTime()) return [];
  return [
    {
      type: 'DocumentPurged',
      data: { documentId: state.documentId, reason: 'NOT_ATTACHED', purgedAt: now.toISOString() },
    },
  ];
}
