import type { DocumentState } from './state.js';

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

export function claimAbandoned(
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
