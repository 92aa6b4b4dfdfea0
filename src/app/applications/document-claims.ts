import type { AttachableDocument } from '../../domain/application/commands.js';
import { applicationModel } from '../../domain/application/decide.js';
import type { Refusal } from '../../domain/application/outcomes.js';
import { attachVerdict, mayCommitClaim } from '../../domain/document/claims.js';
import { decide as decideDocument, documentModel } from '../../domain/document/decide.js';
import type { DocumentState } from '../../domain/document/state.js';
import { isDocumentId } from '../../domain/shared/ids.js';
import { applicationStream, documentStream } from '../../domain/shared/streams.js';
import type { CommandMeta } from '../command-handler.js';
import type { Services } from '../services.js';

export interface AttachCheck {
  documentId: string;
  verdict: 'OK' | 'UNKNOWN_DOCUMENT' | 'DOCUMENT_ALREADY_ATTACHED';
  document?: AttachableDocument;
}

/**
 * For a document claimed by another application (any, for applicationId null): whether that application
 * holds it, which tells a claim left behind by a crash from a real attachment (CLAIM_LEASE_MS in
 * src/domain/document/claims.ts).
 */
export async function claimantOf(
  services: Pick<Services, 'clock' | 'commands'>,
  state: DocumentState,
  applicationId: string | null,
) {
  if (state.status === 'NONE' || state.claimedBy === null || state.claimedBy === applicationId) return null;
  const claimant = await services.commands.load(applicationStream(state.claimedBy), applicationModel);
  const holdsDocument =
    claimant.state.status !== 'NONE' && claimant.state.documentIds.includes(state.documentId);
  return { holdsDocument, now: services.clock.now() };
}

/** Judges each named document from its own stream: the uploader's, not claimed by another application. */
export async function checkDocuments(
  services: Pick<Services, 'clock' | 'commands'>,
  documentIds: string[],
  applicantAccountId: string | null,
  applicationId: string,
): Promise<AttachCheck[]> {
  return Promise.all(
    documentIds.map(async (documentId): Promise<AttachCheck> => {
      if (!isDocumentId(documentId)) return { documentId, verdict: 'UNKNOWN_DOCUMENT' };
      const { state } = await services.commands.load(documentStream(documentId), documentModel);
      const claimant = await claimantOf(services, state, applicationId);
      const verdict = attachVerdict(state, applicantAccountId, applicationId, claimant);
      if (verdict !== 'OK' || state.status === 'NONE') return { documentId, verdict };
      return {
        documentId,
        verdict,
        document: { documentId, fileName: state.fileName, size: state.size, sha256: state.sha256 },
      };
    }),
  );
}

export interface ClaimRequest {
  documentIds: string[];
  applicantAccountId: string | null;
  applicationId: string;
  meta: CommandMeta;
}

export const alreadyAttached: Refusal = {
  kind: 'REFUSED',
  field: 'documentIds',
  code: 'DOCUMENT_ALREADY_ATTACHED',
};

/**
 * Claims each document for the application in the document's own stream (exact revision), so two
 * applications racing for one document cannot both get it, then runs `commit` (the append to the
 * application stream). If a claim is refused or fails, or the commit fails or is refused, every claim
 * made here is released again (DocumentReleased), so no document stays tied to an application that
 * does not hold it. A crash between the steps is covered by the claim's lease (CLAIM_LEASE_MS).
 */
export async function withClaimedDocuments<O extends { result: { kind: string } }>(
  services: Pick<Services, 'clock' | 'commands' | 'log' | 'projections'>,
  request: ClaimRequest,
  commit: () => Promise<O>,
): Promise<O | Refusal> {
  const claimed: string[] = [];
  let succeeded = false;
  try {
    for (const documentId of request.documentIds) {
      const outcome = await services.commands.execute(
        documentStream(documentId),
        documentModel,
        async ({ state }) => {
          const claimant = await claimantOf(services, state, request.applicationId);
          const { events, outcome } = decideDocument(
            {
              type: 'ClaimDocument',
              applicationId: request.applicationId,
              applicantAccountId: request.applicantAccountId,
              claimant,
              now: services.clock.now(),
            },
            state,
          );
          return { events, result: outcome };
        },
        request.meta,
      );
      if (outcome.appended.length > 0) claimed.push(documentId);
      if (outcome.result !== 'OK') return { kind: 'REFUSED', field: 'documentIds', code: outcome.result };
    }
    const committed = await commit();
    succeeded = committed.result.kind === 'ACCEPTED';
    return committed;
  } finally {
    if (!succeeded) await releaseClaims(services, claimed, request);
  }
}

/** Best effort: a release that fails leaves a claim whose lease runs out by itself. */
async function releaseClaims(
  services: Pick<Services, 'clock' | 'commands' | 'log' | 'projections'>,
  documentIds: string[],
  request: ClaimRequest,
) {
  for (const documentId of documentIds) {
    try {
      const released = await services.commands.execute(
        documentStream(documentId),
        documentModel,
        ({ state }) => ({
          events: decideDocument(
            { type: 'ReleaseDocument', applicationId: request.applicationId, now: services.clock.now() },
            state,
          ).events,
          result: null,
        }),
        request.meta,
      );
      await services.projections.waitFor(released.position);
    } catch (error) {
      services.log.warn({ err: error, documentId }, 'document claim not released; its lease will run out');
    }
  }
}

/**
 * Checked inside the application append, right before it: every claim still this application's and
 * within its lease. Otherwise the document may have been taken over, and the append must not happen.
 */
export async function claimsStillHeld(
  services: Pick<Services, 'clock' | 'commands'>,
  request: ClaimRequest,
): Promise<boolean> {
  const now = services.clock.now();
  for (const documentId of request.documentIds) {
    const { state } = await services.commands.load(documentStream(documentId), documentModel);
    if (!mayCommitClaim(state, request.applicationId, now)) return false;
  }
  return true;
}
