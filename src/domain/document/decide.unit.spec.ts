import { describe, expect, it } from 'vitest';
import {
  APPLICANT,
  APPLICATION_ID,
  at,
  DAY,
  DOC_A,
  givenDocument,
  HOUR,
  iso,
  MIN,
  OTHER_APPLICATION_ID,
  STRANGER,
  T0,
} from '../../../test/support/application-fixtures.js';
import { CLAIM_LEASE_MS, mayCommitClaim } from './claims.js';
import { type DocumentCommand, UNATTACHED_TTL_MS } from './decide.js';
import type { DocumentEvent } from './events.js';

const uploaded = (uploaderAccountId: string | null = APPLICANT.accountId): DocumentEvent => ({
  type: 'DocumentUploaded',
  data: {
    documentId: DOC_A,
    uploaderAccountId,
    size: 2048,
    sha256: '5'.repeat(64),
    uploadedAt: T0.toISOString(),
    personal: { fileName: 'passport.pdf' },
  },
});
const claimed = (applicationId = OTHER_APPLICATION_ID, ms = 0): DocumentEvent => ({
  type: 'DocumentClaimed',
  data: { documentId: DOC_A, applicationId, claimedAt: iso(ms) },
});
const released = (applicationId = OTHER_APPLICATION_ID): DocumentEvent => ({
  type: 'DocumentReleased',
  data: { documentId: DOC_A, applicationId, reason: 'SUBMISSION_FAILED', releasedAt: iso(MIN) },
});
const purged: DocumentEvent = {
  type: 'DocumentPurged',
  data: { documentId: DOC_A, reason: 'NOT_ATTACHED', purgedAt: iso(DAY) },
};

const OK = 'OK' as const;
const nothing = (outcome: string) => ({ events: [], outcome });

describe('uploading a document', () => {
  const upload: DocumentCommand = {
    type: 'RecordUpload',
    documentId: DOC_A,
    uploaderAccountId: APPLICANT.accountId,
    fileName: 'passport.pdf',
    size: 2048,
    sha256: '5'.repeat(64),
    now: T0,
  };

  it('records the upload in a new stream', () => {
    expect(givenDocument().when(upload)).toEqual({ events: [uploaded()], outcome: 'RECORDED' });
  });

  it('refuses an id that is taken', () => {
    expect(givenDocument(uploaded()).when(upload)).toEqual(nothing('ALREADY_EXISTS'));
    expect(givenDocument(uploaded(), purged).when(upload)).toEqual(nothing('ALREADY_EXISTS'));
  });
});

describe('claiming a document for an application', () => {
  const claim = (ms: number, claimant: { holdsDocument: boolean } | null = null, applicant = APPLICANT) =>
    ({
      type: 'ClaimDocument',
      applicationId: APPLICATION_ID,
      applicantAccountId: applicant.accountId,
      claimant: claimant ? { ...claimant, now: at(ms) } : null,
      now: at(ms),
    }) satisfies DocumentCommand;

  it('the uploader’s application claims it', () => {
    expect(givenDocument(uploaded()).when(claim(HOUR))).toEqual({
      events: [
        {
          type: 'DocumentClaimed',
          data: { documentId: DOC_A, applicationId: APPLICATION_ID, claimedAt: iso(HOUR) },
        },
      ],
      outcome: OK,
    });
  });

  it('any application claims an anonymous upload', () => {
    expect(givenDocument(uploaded(null)).when(claim(HOUR, null, STRANGER)).outcome).toBe(OK);
  });

  it('claiming again for the same application appends nothing', () => {
    expect(givenDocument(uploaded(), claimed(APPLICATION_ID)).when(claim(HOUR))).toEqual(nothing(OK));
  });

  it.each([
    ['that does not exist', [], claim(HOUR)],
    ['someone else uploaded (it answers like a missing one)', [uploaded()], claim(HOUR, null, STRANGER)],
    ['that was purged', [uploaded(), purged], claim(2 * DAY)],
  ])('refuses a document %s', (_name, history, command) => {
    expect(givenDocument(...history).when(command)).toEqual(nothing('UNKNOWN_DOCUMENT'));
  });

  it('refuses a document another application holds, however old its claim', () => {
    const given = givenDocument(uploaded(), claimed());
    expect(given.when(claim(HOUR, { holdsDocument: true }))).toEqual(nothing('DOCUMENT_ALREADY_ATTACHED'));
    expect(given.when(claim(365 * DAY, { holdsDocument: true }))).toEqual(
      nothing('DOCUMENT_ALREADY_ATTACHED'),
    );
  });

  it('takes over a claim whose claimant does not hold the document once twice the lease has passed', () => {
    const given = givenDocument(uploaded(), claimed());
    expect(given.when(claim(2 * CLAIM_LEASE_MS, { holdsDocument: false }))).toEqual(
      nothing('DOCUMENT_ALREADY_ATTACHED'),
    );
    expect(given.when(claim(2 * CLAIM_LEASE_MS + 1, { holdsDocument: false }))).toEqual({
      events: [
        {
          type: 'DocumentClaimed',
          data: { documentId: DOC_A, applicationId: APPLICATION_ID, claimedAt: iso(2 * CLAIM_LEASE_MS + 1) },
        },
      ],
      outcome: OK,
    });
  });

  it('leaves a claim alone whose claimant is not known', () => {
    expect(givenDocument(uploaded(), claimed()).when(claim(DAY, null))).toEqual(
      nothing('DOCUMENT_ALREADY_ATTACHED'),
    );
  });

  it('claims a document released by the application that claimed it', () => {
    expect(givenDocument(uploaded(), claimed(), released()).when(claim(HOUR)).outcome).toBe(OK);
  });
});

describe('committing on a claim', () => {
  const { state } = givenDocument(uploaded(), claimed(APPLICATION_ID));

  it('holds within the lease, for the application that made it only', () => {
    expect(mayCommitClaim(state, APPLICATION_ID, at(CLAIM_LEASE_MS - 1))).toBe(true);
    expect(mayCommitClaim(state, APPLICATION_ID, at(CLAIM_LEASE_MS))).toBe(false);
    expect(mayCommitClaim(state, OTHER_APPLICATION_ID, at(MIN))).toBe(false);
  });
});

describe('releasing a claim', () => {
  const release = { type: 'ReleaseDocument', applicationId: OTHER_APPLICATION_ID, now: at(MIN) } as const;

  it('gives up the application’s own claim', () => {
    expect(givenDocument(uploaded(), claimed()).when(release)).toEqual({
      events: [released()],
      outcome: 'RELEASED',
    });
  });

  it.each([
    ['a claim another application made since', [uploaded(), claimed(), released(), claimed(APPLICATION_ID)]],
    ['a document not claimed', [uploaded()]],
    ['a document that does not exist', []],
  ])('leaves %s alone', (_name, history) => {
    expect(givenDocument(...history).when(release)).toEqual(nothing('UNCHANGED'));
  });
});

describe('purging an upload no application holds', () => {
  const purge = (ms: number, claimant: { holdsDocument: boolean } | null = null) =>
    ({
      type: 'PurgeDocument',
      claimant: claimant ? { ...claimant, now: at(ms) } : null,
      now: at(ms),
    }) satisfies DocumentCommand;
  const purgedAt = (ms: number) => ({
    events: [
      { type: 'DocumentPurged', data: { documentId: DOC_A, reason: 'NOT_ATTACHED', purgedAt: iso(ms) } },
    ],
    outcome: 'PURGED',
  });

  it('purges an unclaimed upload a day after it arrived, not before', () => {
    expect(givenDocument(uploaded()).when(purge(UNATTACHED_TTL_MS - 1))).toEqual(nothing('UNCHANGED'));
    expect(givenDocument(uploaded()).when(purge(UNATTACHED_TTL_MS))).toEqual(purgedAt(UNATTACHED_TTL_MS));
  });

  it('keeps a document its application holds', () => {
    expect(givenDocument(uploaded(), claimed()).when(purge(30 * DAY, { holdsDocument: true }))).toEqual(
      nothing('UNCHANGED'),
    );
  });

  it('purges a document left claimed by an application that does not hold it', () => {
    expect(givenDocument(uploaded(), claimed()).when(purge(2 * DAY, { holdsDocument: false }))).toEqual(
      purgedAt(2 * DAY),
    );
  });

  it('keeps a claimed document whose claimant is not known', () => {
    expect(givenDocument(uploaded(), claimed()).when(purge(2 * DAY, null))).toEqual(nothing('UNCHANGED'));
  });

  it('purges once', () => {
    expect(givenDocument(uploaded(), purged).when(purge(2 * DAY))).toEqual(nothing('UNCHANGED'));
  });

  it('purges nothing that was never uploaded', () => {
    expect(givenDocument().when(purge(2 * DAY))).toEqual(nothing('UNCHANGED'));
  });
});
