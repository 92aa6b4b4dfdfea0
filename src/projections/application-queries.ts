import type Database from 'better-sqlite3';
import type { ApplicationStatus } from '../domain/application/events.js';
import type { Actor } from '../domain/shared/events.js';
import { prepared } from './prepared.js';

/**
 * Who acted on an application, as facts a front end words in its own language: the kind and role
 * its events record, and for staff the institution. Staff act on an application only as caseworkers
 * of its institution (domain/application/access.ts), so that is the institution they acted for.
 */
export interface ApplicationActor {
  kind: Actor['kind'];
  role: string | null;
  institution: string | null;
}

export interface TimelineStep {
  at: string;
  status: ApplicationStatus;
  note: string | null;
  /** The English display the event recorded (the contract's TimelineEntry.actor). */
  actor: string | null;
  /** null for a step whose event records nobody. */
  actedBy: ApplicationActor | null;
}

/** One application as the read model holds it: what the API renders. */
export interface ApplicationView {
  id: string;
  serviceId: string;
  institution: string;
  status: ApplicationStatus;
  submittedAt: string;
  updatedAt: string;
  dueAt: string;
  assignee: string | null;
  /** The assignee as an actor: only a caseworker of the application's institution is assigned. */
  assignedTo: ApplicationActor | null;
  applicant: { kind: string; displayName: string; identifier: string | null };
  formData: unknown;
  registryRecords: Array<{
    registry: string;
    reference: string;
    digest: string;
    retrievedAt: string;
    data: unknown;
  }>;
  documents: Array<{ id: string; fileName: string; size: number; sha256: string }>;
  timeline: TimelineStep[];
  rating: number | null;
  overdueRecorded: boolean;
}

interface Row {
  id: string;
  service_id: string;
  institution: string;
  status: ApplicationStatus;
  applicant_kind: string;
  applicant_display: string;
  applicant_identifier: string | null;
  submitted_at: string;
  updated_at: string;
  due_at: string;
  assignee: string | null;
  rating: number | null;
  form_data: string | null;
  overdue_recorded: number;
}

interface TimelineRow {
  at: string;
  status: ApplicationStatus;
  note: string | null;
  actor: string | null;
  actor_kind: string | null;
  actor_role: string | null;
}

const ACTOR_KINDS: ReadonlySet<string> = new Set<Actor['kind']>(['PERSON', 'STAFF', 'ANONYMOUS', 'SYSTEM']);

function actorOf(kind: string | null, role: string | null, institution: string): ApplicationActor | null {
  if (kind === null || !ACTOR_KINDS.has(kind)) return null;
  return { kind: kind as Actor['kind'], role, institution: kind === 'STAFF' ? institution : null };
}

export function applicationView(db: Database.Database, id: string): ApplicationView | null {
  const row = prepared(db, 'SELECT * FROM app_applications WHERE id = ?').get(id) as Row | undefined;
  if (!row) return null;
  const steps = prepared(
    db,
    'SELECT at, status, note, actor, actor_kind, actor_role FROM app_timeline WHERE application_id = ? ORDER BY position',
  ).all(id) as TimelineRow[];
  const documents = prepared(
    db,
    'SELECT document_id AS id, file_name AS fileName, size, sha256 FROM app_documents WHERE application_id = ? ORDER BY position, document_id',
  ).all(id) as ApplicationView['documents'];
  const records = prepared(
    db,
    'SELECT registry, reference, digest, retrieved_at AS retrievedAt, data FROM app_registry_records WHERE application_id = ? ORDER BY position',
  ).all(id) as Array<{
    registry: string;
    reference: string;
    digest: string;
    retrievedAt: string;
    data: string;
  }>;
  return {
    id: row.id,
    serviceId: row.service_id,
    institution: row.institution,
    status: row.status,
    submittedAt: row.submitted_at,
    updatedAt: row.updated_at,
    dueAt: row.due_at,
    assignee: row.assignee,
    assignedTo:
      row.assignee === null ? null : { kind: 'STAFF', role: 'CASEWORKER', institution: row.institution },
    applicant: {
      kind: row.applicant_kind,
      displayName: row.applicant_display,
      identifier: row.applicant_identifier,
    },
    formData: row.form_data === null ? null : JSON.parse(row.form_data),
    registryRecords: records.map((r) => ({ ...r, data: JSON.parse(r.data) })),
    documents,
    timeline: steps.map(({ actor_kind, actor_role, ...step }) => ({
      ...step,
      actedBy: actorOf(actor_kind, actor_role, row.institution),
    })),
    rating: row.rating,
    overdueRecorded: row.overdue_recorded === 1,
  };
}

export interface Page {
  ids: string[];
  cursors: string[];
  hasNextPage: boolean;
}

const encode = (key: string, id: string) => Buffer.from(JSON.stringify([key, id])).toString('base64url');
function decode(cursor: string | null | undefined): [string, string] | null {
  if (!cursor) return null;
  try {
    const value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    return Array.isArray(value) && value.length === 2 && value.every((v) => typeof v === 'string')
      ? (value as [string, string])
      : null;
  } catch {
    return null;
  }
}

const clampFirst = (first: number | null | undefined) => Math.max(0, Math.min(first ?? 20, 100));

/** The applicant's own applications, newest first (keyset pagination on submittedAt, id). */
export function applicationsOfApplicant(
  db: Database.Database,
  accountId: string,
  first?: number | null,
  after?: string | null,
): Page {
  const limit = clampFirst(first);
  const cursor = decode(after);
  const rows = (
    cursor
      ? prepared(
          db,
          `SELECT id, submitted_at AS k FROM app_applications WHERE applicant_account_id = ?
            AND (submitted_at < ? OR (submitted_at = ? AND id < ?)) ORDER BY submitted_at DESC, id DESC LIMIT ?`,
        ).all(accountId, cursor[0], cursor[0], cursor[1], limit + 1)
      : prepared(
          db,
          'SELECT id, submitted_at AS k FROM app_applications WHERE applicant_account_id = ? ORDER BY submitted_at DESC, id DESC LIMIT ?',
        ).all(accountId, limit + 1)
  ) as Array<{ id: string; k: string }>;
  return page(rows, limit);
}

export const OPEN_STATUSES: ApplicationStatus[] = ['SUBMITTED', 'IN_REVIEW', 'INFORMATION_REQUESTED'];

/** An institution's queue, earliest dueAt first; open applications unless a status is asked for. */
export function institutionQueue(
  db: Database.Database,
  institution: string,
  status?: ApplicationStatus | null,
  first?: number | null,
  after?: string | null,
): Page {
  const limit = clampFirst(first);
  const cursor = decode(after);
  const statuses = status ? [status] : OPEN_STATUSES;
  const marks = statuses.map(() => '?').join(',');
  const rows = (
    cursor
      ? prepared(
          db,
          `SELECT id, due_at AS k FROM app_applications WHERE institution = ? AND status IN (${marks})
            AND (due_at > ? OR (due_at = ? AND id > ?)) ORDER BY due_at, id LIMIT ?`,
        ).all(institution, ...statuses, cursor[0], cursor[0], cursor[1], limit + 1)
      : prepared(
          db,
          `SELECT id, due_at AS k FROM app_applications WHERE institution = ? AND status IN (${marks}) ORDER BY due_at, id LIMIT ?`,
        ).all(institution, ...statuses, limit + 1)
  ) as Array<{ id: string; k: string }>;
  return page(rows, limit);
}

function page(rows: Array<{ id: string; k: string }>, limit: number): Page {
  const shown = rows.slice(0, limit);
  return {
    ids: shown.map((r) => r.id),
    cursors: shown.map((r) => encode(r.k, r.id)),
    hasNextPage: rows.length > limit,
  };
}

/** Open applications past their dueAt whose ApplicationOverdue is not recorded yet. */
export function overdueCandidates(db: Database.Database, now: Date, limit = 500): string[] {
  const marks = OPEN_STATUSES.map(() => '?').join(',');
  return (
    prepared(
      db,
      `SELECT id FROM app_applications WHERE status IN (${marks}) AND overdue_recorded = 0 AND due_at < ? ORDER BY due_at LIMIT ?`,
    ).all(...OPEN_STATUSES, now.toISOString(), limit) as Array<{ id: string }>
  ).map((r) => r.id);
}

/**
 * Uploads (anyone's) uploaded before `before` that no application holds: unclaimed, or claimed by an
 * application that does not hold them (a crash). Only candidates: decidePurge judges each from its streams.
 */
export function unattachedUploads(db: Database.Database, before: Date, limit = 500): string[] {
  return (
    prepared(
      db,
      `SELECT u.document_id AS id FROM app_uploads u WHERE u.purged = 0 AND u.uploaded_at <= ?
        AND (u.claimed_by IS NULL OR NOT EXISTS (SELECT 1 FROM app_documents d
          WHERE d.application_id = u.claimed_by AND d.document_id = u.document_id))
        ORDER BY u.uploaded_at LIMIT ?`,
    ).all(before.toISOString(), limit) as Array<{ id: string }>
  ).map((r) => r.id);
}
