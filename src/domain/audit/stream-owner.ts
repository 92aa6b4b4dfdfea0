import { applicationStream, parseStream, type StreamKind } from '../shared/streams.js';

/**
 * Whose data a stream holds: the data subject a staff reading of it is recorded for (in
 * `data-access-<subject>`). Streams named after an account carry its id; an application or a document
 * is named by its own id, so its owner is the one its first event names.
 *
 * The subject is usually an account id (hex). A foreign national's application has no account: its
 * subject is `application-<id>`, the log the applications feature records readings of it in too
 * (src/domain/application/data-subject.ts), so an auditor's reading lands beside a caseworker's.
 * Account ids are hex, so the two never meet.
 */

/** Streams named after the account they belong to. */
const ACCOUNT_KINDS: ReadonlySet<StreamKind> = new Set(['account', 'data-access', 'attempts']);

/** Top-level data fields that name the account an event of some other stream belongs to. */
const OWNER_FIELDS = ['accountId', 'applicantAccountId'] as const;

/** The owner read from the stream's name alone, or null when the name does not say. */
export function ownerOfStreamName(stream: string): string | null {
  const parsed = parseStream(stream);
  return parsed && ACCOUNT_KINDS.has(parsed.kind) ? parsed.id : null;
}

const text = (value: unknown) => (typeof value === 'string' && value.length > 0 ? value : null);
const record = (value: unknown) =>
  value !== null && typeof value === 'object' ? (value as Record<string, unknown>) : null;

/**
 * The owner an event names for its stream, or null when it names none. Called for the events of a
 * stream whose owner is not known yet; the first that names one decides.
 *
 * - application-<id>: its ApplicationSubmitted's `data.applicant.accountId`, or for a foreign national (null account)
 *   `application-<id>`.
 * - document-<id>: its DocumentUploaded's `data.uploaderAccountId`. An anonymous upload (a foreign national's) has none,
 *   and none is taken from a later DocumentClaimed: a claim can be released and the document claimed
 *   by another application, so the first claimant is not reliably its owner. Such a document holds a
 *   file name, size and digest only; its application's stream holds the rest, and reading that one is
 *   recorded.
 * - Other streams: a top-level accountId / applicantAccountId.
 *
 * System streams (checkpoints, scheduled checks) name no one and need no record.
 */
export function ownerNamedBy(stream: string, type: string, data: Record<string, unknown>): string | null {
  // Only the submission names the applicant; later events of the stream name staff, never the owner.
  const parsed = parseStream(stream);
  if (parsed?.kind === 'application') {
    if (type !== 'ApplicationSubmitted') return null;
    const applicant = record(data.applicant);
    return text(applicant?.accountId) ?? applicationStream(text(data.applicationId) ?? parsed.id);
  }
  if (parsed?.kind === 'document') return type === 'DocumentUploaded' ? text(data.uploaderAccountId) : null;
  for (const field of OWNER_FIELDS) {
    const named = text(data[field]);
    if (named) return named;
  }
  return null;
}
