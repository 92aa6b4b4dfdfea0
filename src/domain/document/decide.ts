import type { Decider, StreamModel } from '../shared/decider.js';
import { type AttachVerdict, attachVerdict, claimAbandoned } from './claims.js';
import type { DocumentEvent } from './events.js';
import { type DocumentState, evolve, initialState } from './state.js';

/** What another application's claim is worth: whether it holds the document, judged at `now`. */
export type Claimant = { holdsDocument: boolean; now: Date } | null;

export type DocumentCommand =
  | {
      type: 'RecordUpload';
      documentId: string;
      uploaderAccountId: string | null;
      size: number;
      sha256: string;
      fileName: string;
      now: Date;
    }
  | {
      type: 'ClaimDocument';
      applicationId: string;
      applicantAccountId: string | null;
      claimant: Claimant;
      now: Date;
    }
  | { type: 'ReleaseDocument'; applicationId: string; now: Date }
  | { type: 'PurgeDocument'; claimant: Claimant; now: Date };

/** RECORDED, RELEASED, PURGED: done; UNCHANGED: nothing to do; a claim answers its verdict. */
export type DocumentOutcome =
  | 'RECORDED'
  | 'ALREADY_EXISTS'
  | 'RELEASED'
  | 'PURGED'
  | 'UNCHANGED'
  | AttachVerdict;

type Decided = { events: DocumentEvent[]; outcome: DocumentOutcome };
type Of<T extends DocumentCommand['type']> = Extract<DocumentCommand, { type: T }>;

/**
 * An upload that no application holds a day after it arrived is purged (its blob deleted), whoever
 * uploaded it: otherwise anyone signed in could fill the disk with documents they never use. That
 * covers a document still claimed by an application that does not hold it (a crash between claim
 * and append) once that claim has lapsed as for a takeover (claimAbandoned).
 */
export const UNATTACHED_TTL_MS = 24 * 3600_000;

/** The document stream's one decider: upload, claim (attach verdict), release, purge. */
export function decide(command: DocumentCommand, state: DocumentState): Decided {
  switch (command.type) {
    case 'RecordUpload':
      return recordUpload(command, state);
    case 'ClaimDocument':
      return claim(command, state);
    case 'ReleaseDocument':
      return release(command, state);
    case 'PurgeDocument':
      return purge(command, state);
    default: {
      const unexpected: never = command;
      throw new Error(`unknown document command ${JSON.stringify(unexpected)}`);
    }
  }
}

function recordUpload(c: Of<'RecordUpload'>, state: DocumentState): Decided {
  // Ids are random: an existing stream means a collision, never an upload to overwrite.
  if (state.status !== 'NONE') return { events: [], outcome: 'ALREADY_EXISTS' };
  return {
    events: [
      {
        type: 'DocumentUploaded',
        data: {
          documentId: c.documentId,
          uploaderAccountId: c.uploaderAccountId,
          size: c.size,
          sha256: c.sha256,
          uploadedAt: c.now.toISOString(),
          personal: { fileName: c.fileName },
        },
      },
    ],
    outcome: 'RECORDED',
  };
}

function claim(c: Of<'ClaimDocument'>, state: DocumentState): Decided {
  const verdict = attachVerdict(state, c.applicantAccountId, c.applicationId, c.claimant);
  // Claiming again for the same application appends nothing.
  if (verdict !== 'OK' || state.status === 'NONE' || state.claimedBy === c.applicationId)
    return { events: [], outcome: verdict };
  return {
    events: [
      {
        type: 'DocumentClaimed',
        data: {
          documentId: state.documentId,
          applicationId: c.applicationId,
          claimedAt: c.now.toISOString(),
        },
      },
    ],
    outcome: verdict,
  };
}

/** Gives up this application's claim on the document; nothing when the claim is no longer its own. */
function release(c: Of<'ReleaseDocument'>, state: DocumentState): Decided {
  if (state.status === 'NONE' || state.claimedBy !== c.applicationId)
    return { events: [], outcome: 'UNCHANGED' };
  return {
    events: [
      {
        type: 'DocumentReleased',
        data: {
          documentId: state.documentId,
          applicationId: c.applicationId,
          reason: 'SUBMISSION_FAILED',
          releasedAt: c.now.toISOString(),
        },
      },
    ],
    outcome: 'RELEASED',
  };
}

/** `claimant` is the claiming application's answer, as for a claim; a claim whose claimant is unknown is left alone. */
function purge(c: Of<'PurgeDocument'>, state: DocumentState): Decided {
  const kept: Decided = { events: [], outcome: 'UNCHANGED' };
  if (state.status !== 'UPLOADED') return kept;
  if (Date.parse(state.uploadedAt) + UNATTACHED_TTL_MS > c.now.getTime()) return kept;
  if (state.claimedBy !== null && !claimAbandoned(state, c.claimant)) return kept;
  return {
    events: [
      {
        type: 'DocumentPurged',
        data: { documentId: state.documentId, reason: 'NOT_ATTACHED', purgedAt: c.now.toISOString() },
      },
    ],
    outcome: 'PURGED',
  };
}

/** The fold every document command decides on; `name` keys the command handler's cache of it. */
export const documentModel: StreamModel<DocumentState, DocumentEvent> = {
  name: 'document',
  initialState,
  evolve,
};

export const documentDecider: Decider<DocumentCommand, DocumentState, DocumentEvent, DocumentOutcome> = {
  ...documentModel,
  decide,
};
