import type { StreamModel } from '../shared/decider.js';
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
      claimedAt: string | null;
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
        claimedAt: null,
      };
    case 'DocumentClaimed':
      return state.status === 'NONE'
        ? state
        : { ...state, claimedBy: event.data.applicationId, claimedAt: event.data.claimedAt };
    case 'DocumentReleased':
      return state.status === 'NONE' || state.claimedBy !== event.data.applicationId
        ? state
        : { ...state, claimedBy: null, claimedAt: null };
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
  initialState: () => ({ status: 'NONE' }),
  evolve: evolveDocument,
};

export type AttachVerdict = 'OK' | 'UNKNOWN_DOCUMENT' | 'DOCUMENT_ALREADY_ATTACHED';

/**
 * Claiming documents and creating the application are appends to different streams, so they cannot
 * commit together. The claim comes first (two applications racing for one document: one claim wins,
 * by the document stream's revision); a submission that then fails releases its claims
 * (DocumentReleased). What a crash between the steps leaves is a claim naming an application that
 * does not hold the document. Such a claim is a lease: its claimant may create the application only
 * within CLAIM_LEASE_MS of claiming (mayCommitClaim, checked right before that append), and anyone
 * else may take the document over once twice that has passed and the claimant still does not hold it.
 * The margin between the two covers clocks that differ between instances; what remains is a claimant
 * that passes its check and then stalls for a quarter of an hour before its append commits.
 */
export const CLAIM_LEASE_MS = 15 * 60_000;

/**
 * Whether `applicationId`, applied for by `applicantAccountId` (null: a foreign national), may hold
 * this document. Someone else's document answers like a missing one, so ids cannot be probed.
 * `claimant` says, for a document claimed by another application, whether that application holds it.
 */
export function attachVerdict(
  document: DocumentState,
  applicantAccountId: string | null,
  applicationId: string,
  claimant: { holdsDocument: boolean; now: Date } | null = null,
): AttachVerdict {
  if (document.status !== 'UPLOADED') return 'UNKNOWN_DOCUMENT';
  if (document.uploaderAccountId !== null && document.uploaderAccountId !== applicantAccountId)
    return 'UNKNOWN_DOCUMENT';
  if (
    document.claimedBy !== null &&
    document.claimedBy !== applicationId &&
    !claimAbandoned(document, claimant)
  )
    return 'DOCUMENT_ALREADY_ATTACHED';
  return 'OK';
}

function claimAbandoned(
  document: Exclude<DocumentState, { status: 'NONE' }>,
  claimant: { holdsDocument: boolean; now: Date } | null,
): boolean {
  if (!claimant || claimant.holdsDocument || document.claimedAt === null) return false;
  return Date.parse(document.claimedAt) + 2 * CLAIM_LEASE_MS < claimant.now.getTime();
}

/** Whether the claim this application made still stands and its lease has not run out. */
export function mayCommitClaim(document: DocumentState, applicationId: string, now: Date): boolean {
  return (
    document.status === 'UPLOADED' &&
    document.claimedBy === applicationId &&
    document.claimedAt !== null &&
    Date.parse(document.claimedAt) + CLAIM_LEASE_MS > now.getTime()
  );
}

/** Gives up this application's claim on the document; nothing when the claim is no longer its own. */
export function decideRelease(state: DocumentState, applicationId: string, now: Date): DocumentReleased[] {
  if (state.status === 'NONE' || state.claimedBy !== applicationId) return [];
  return [
    {
      type: 'DocumentReleased',
      data: {
        documentId: state.documentId,
        applicationId,
        reason: 'SUBMISSION_FAILED',
        releasedAt: now.toISOString(),
      },
    },
  ];
}

/**
 * An upload that no application holds a day after it arrived is purged (its blob deleted), whoever
 * uploaded it: otherwise anyone signed in could fill the disk with documents they never use. That
 * covers a document still claimed by an application that does not hold it (a crash between claim
 * and append) once that claim has lapsed as for a takeover (claimAbandoned). `claimant` is that
 * application's answer, as for attachVerdict; a claim whose claimant is unknown is left alone.
 */
export const UNATTACHED_TTL_MS = 24 * 3600_000;

export function decidePurge(
  state: DocumentState,
  now: Date,
  claimant: { holdsDocument: boolean; now: Date } | null = null,
): DocumentPurged[] {
  if (state.status !== 'UPLOADED') return [];
  if (Date.parse(state.uploadedAt) + UNATTACHED_TTL_MS > now.getTime()) return [];
  if (state.claimedBy !== null && !claimAbandoned(state, claimant)) return [];
  return [
    {
      type: 'DocumentPurged',
      data: { documentId: state.documentId, reason: 'NOT_ATTACHED', purgedAt: now.toISOString() },
    },
  ];
}
