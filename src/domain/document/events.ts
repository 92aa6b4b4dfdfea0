import type { DomainEvent } from '../shared/events.js';

/**
 * An uploaded document is a stream of its own (`document-<id>`), so who uploaded it, which
 * application holds it and whether it was purged are read from events, never from a table.
 */
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

/**
 * The claim is given up because the application that made it was not created (or, for additional
 * documents, the information was not recorded): the compensation of DocumentClaimed.
 */
export type DocumentReleased = DomainEvent<
  'DocumentReleased',
  { documentId: string; applicationId: string; reason: 'SUBMISSION_FAILED'; releasedAt: string }
>;

export type DocumentPurged = DomainEvent<
  'DocumentPurged',
  { documentId: string; reason: 'NOT_ATTACHED'; purgedAt: string }
>;

export type DocumentEvent = DocumentUploaded | DocumentClaimed | DocumentReleased | DocumentPurged;
