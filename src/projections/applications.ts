import type Database from 'better-sqlite3';
import type { ApplicationEvent, ApplicationStatus } from '../domain/application/events.js';
import type { DocumentEvent } from '../domain/document/events.js';
import { kindOfStream } from '../domain/shared/streams.js';
import type { RecordedEvent } from '../infra/eventstore/port.js';
import type { Projection } from './runner.js';

/**
 * Applications as people read them: status and timeline, the applicant's list (newest first), each
 * institution's queue (earliest dueAt first); and uploads, for the purge job. A cache folded from
 * the log: access decisions are taken from the streams, not from here.
 */
const SCHEMA = `
CREATE TABLE IF NOT EXISTS app_applications (
  id TEXT PRIMARY KEY,
  service_id TEXT NOT NULL,
  institution TEXT NOT NULL,
  status TEXT NOT NULL,
  applicant_kind TEXT NOT NULL,
  applicant_account_id TEXT,
  applicant_display TEXT NOT NULL,
  applicant_identifier TEXT,
  submitted_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  due_at TEXT NOT NULL,
  assignee TEXT,
  assignee_account_id TEXT,
  rating INTEGER,
  rating_comment TEXT,
  form_data TEXT,
  overdue_recorded INTEGER NOT NULL DEFAULT 0,
  position INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS app_applications_by_applicant ON app_applications (applicant_account_id, submitted_at DESC, id DESC);
CREATE INDEX IF NOT EXISTS app_applications_by_queue ON app_applications (institution, due_at, id);
CREATE TABLE IF NOT EXISTS app_timeline (
  application_id TEXT NOT NULL,
  position INTEGER NOT NULL,
  at TEXT NOT NULL,
  status TEXT NOT NULL,
  note TEXT,
  actor TEXT,
  actor_kind TEXT,
  actor_role TEXT,
  PRIMARY KEY (application_id, position)
);
CREATE TABLE IF NOT EXISTS app_documents (
  application_id TEXT NOT NULL,
  document_id TEXT NOT NULL,
  position INTEGER NOT NULL,
  file_name TEXT NOT NULL,
  size INTEGER NOT NULL,
  sha256 TEXT NOT NULL,
  PRIMARY KEY (application_id, document_id)
);
CREATE TABLE IF NOT EXISTS app_registry_records (
  application_id TEXT NOT NULL,
  position INTEGER NOT NULL,
  registry TEXT NOT NULL,
  reference TEXT NOT NULL,
  digest TEXT NOT NULL,
  retrieved_at TEXT NOT NULL,
  data TEXT NOT NULL,
  PRIMARY KEY (application_id, position)
);
CREATE TABLE IF NOT EXISTS app_uploads (
  document_id TEXT PRIMARY KEY,
  uploader_account_id TEXT,
  uploaded_at TEXT NOT NULL,
  claimed_by TEXT,
  purged INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX IF NOT EXISTS app_uploads_unclaimed ON app_uploads (uploaded_at) WHERE claimed_by IS NULL AND purged = 0;
`;

export const APPLICATION_TABLES = [
  'app_applications',
  'app_timeline',
  'app_documents',
  'app_registry_records',
  'app_uploads',
];

/**
 * Columns that version 1 of this read model lacked: its file is upgraded in place (ALTER TABLE) so
 * the statements below prepare, and the version bump has the runner rebuild the rows from the log.
 */
const ADDED_COLUMNS: Array<[table: string, column: string]> = [
  ['app_timeline', 'actor_kind'],
  ['app_timeline', 'actor_role'],
];

function addMissingColumns(db: Database.Database) {
  for (const [table, column] of ADDED_COLUMNS) {
    const present = (db.prepare(`PRAGMA table_info(${table})`).all() as Array<{ name: string }>).some(
      (c) => c.name === column,
    );
    if (!present) db.exec(`ALTER TABLE ${table} ADD COLUMN ${column} TEXT`);
  }
}

type Statements = ReturnType<typeof prepare>;

const INSERT_TIMELINE =
  'INSERT OR IGNORE INTO app_timeline (application_id, position, at, status, note, actor, actor_kind, actor_role) VALUES ';
const TIMELINE_COLUMNS = 8;
const TIMELINE_MARKS = `(${Array.from({ length: TIMELINE_COLUMNS }, () => '?').join(', ')})`;
const TIMELINE_ROWS_PER_INSERT = 100;

/**
 * Who took a step, as the event's metadata records it: the English display (the contract's
 * TimelineEntry.actor) and the kind and role a front end words in its own language.
 */
interface StepActor {
  display: string | null;
  kind: string | null;
  role: string | null;
}

function addTimeline(
  s: Statements,
  id: string,
  position: number,
  at: string,
  status: ApplicationStatus,
  note: string | null,
  actor: StepActor,
) {
  const { display, kind, role } = actor;
  if (s.pendingTimeline) s.pendingTimeline.push(id, position, at, status, note, display, kind, role);
  else s.timeline.run(id, position, at, status, note, display, kind, role);
}

/** Inserts the pending timeline rows in order, TIMELINE_ROWS_PER_INSERT to a statement. */
function insertPendingTimeline(s: Statements, rows: unknown[]) {
  const chunk = TIMELINE_ROWS_PER_INSERT * TIMELINE_COLUMNS;
  let i = 0;
  for (; i + chunk <= rows.length; i += chunk) s.timelineMany.run(rows.slice(i, i + chunk));
  for (; i < rows.length; i += TIMELINE_COLUMNS) s.timeline.run(rows.slice(i, i + TIMELINE_COLUMNS));
}

function prepare(db: Database.Database) {
  return {
    // Positional parameters throughout: named ones cost a lookup per parameter on every event of a replay.
    insert:
      db.prepare(`INSERT OR IGNORE INTO app_applications (id, service_id, institution, status, applicant_kind,
      applicant_account_id, applicant_display, applicant_identifier, submitted_at, updated_at, due_at, form_data, position)
      VALUES (?, ?, ?, 'SUBMITTED', ?, ?, ?, ?, ?, ?, ?, ?, ?)`),
    setStatus: db.prepare(
      'UPDATE app_applications SET status = ?, updated_at = ?, position = ? WHERE id = ?',
    ),
    // An assignment moves a submitted application into review and keeps any later status; RETURNING
    // gives the status for the timeline in the same statement (none when the row is missing).
    assign: db.prepare(
      `UPDATE app_applications SET status = CASE status WHEN 'SUBMITTED' THEN 'IN_REVIEW' ELSE status END,
      assignee = ?, assignee_account_id = ?, updated_at = ?, position = ? WHERE id = ? RETURNING status`,
    ),
    rate: db.prepare('UPDATE app_applications SET rating = ?, rating_comment = ?, position = ? WHERE id = ?'),
    overdue: db.prepare('UPDATE app_applications SET overdue_recorded = 1, position = ? WHERE id = ?'),
    timeline: db.prepare(INSERT_TIMELINE + TIMELINE_MARKS),
    timelineMany: db.prepare(
      INSERT_TIMELINE + Array.from({ length: TIMELINE_ROWS_PER_INSERT }, () => TIMELINE_MARKS).join(', '),
    ),
    /** While applyAll runs: timeline rows waiting to be inserted together (no apply reads them). */
    pendingTimeline: null as unknown[] | null,
    document: db.prepare(
      'INSERT OR IGNORE INTO app_documents (application_id, document_id, position, file_name, size, sha256) VALUES (?, ?, ?, ?, ?, ?)',
    ),
    registry: db.prepare(
      'INSERT OR IGNORE INTO app_registry_records (application_id, position, registry, reference, digest, retrieved_at, data) VALUES (?, ?, ?, ?, ?, ?, ?)',
    ),
    upload: db.prepare(
      'INSERT OR IGNORE INTO app_uploads (document_id, uploader_account_id, uploaded_at) VALUES (?, ?, ?)',
    ),
    claim: db.prepare('UPDATE app_uploads SET claimed_by = ? WHERE document_id = ?'),
    release: db.prepare('UPDATE app_uploads SET claimed_by = NULL WHERE document_id = ? AND claimed_by = ?'),
    purge: db.prepare('UPDATE app_uploads SET purged = 1 WHERE document_id = ?'),
  };
}

const textOrNull = (value: unknown): string | null => (typeof value === 'string' ? value : null);

const actorOf = (event: RecordedEvent): StepActor => {
  const actor = event.metadata.actor as { display?: unknown; kind?: unknown; role?: unknown } | undefined;
  return {
    display: textOrNull(actor?.display),
    kind: textOrNull(actor?.kind),
    role: textOrNull(actor?.role),
  };
};

function step(
  s: Statements,
  event: RecordedEvent,
  id: string,
  status: ApplicationStatus,
  at: string,
  note: string | null,
) {
  s.setStatus.run(status, at, event.position, id);
  addTimeline(s, id, event.position, at, status, note, actorOf(event));
}

function applyApplication(s: Statements, event: RecordedEvent, e: ApplicationEvent) {
  const id = e.data.applicationId;
  switch (e.type) {
    case 'ApplicationSubmitted': {
      const personal = e.data.personal;
      s.insert.run(
        id,
        e.data.serviceId,
        e.data.institution,
        e.data.applicant.kind,
        e.data.applicant.accountId,
        personal?.applicant?.displayName ?? '',
        personal?.applicant?.identifier ?? null,
        e.data.submittedAt,
        e.data.submittedAt,
        e.data.dueAt,
        personal?.formData === undefined ? null : JSON.stringify(personal.formData),
        event.position,
      );
      addTimeline(s, id, event.position, e.data.submittedAt, 'SUBMITTED', null, actorOf(event));
      return;
    }
    case 'DocumentAttached':
      s.document.run(
        id,
        e.data.documentId,
        event.position,
        e.data.personal?.fileName ?? 'document.pdf',
        e.data.size,
        e.data.sha256,
      );
      return;
    case 'RegistryDataAttached':
      s.registry.run(
        id,
        event.position,
        e.data.registry,
        e.data.personal?.reference ?? '',
        e.data.digest,
        e.data.retrievedAt,
        JSON.stringify(e.data.personal?.data ?? null),
      );
      return;
    case 'ApplicationAssigned': {
      const updated = s.assign.get(
        e.data.assignee,
        e.data.assigneeAccountId,
        e.data.assignedAt,
        event.position,
        id,
      ) as { status: ApplicationStatus } | undefined;
      const status = updated?.status ?? 'IN_REVIEW';
      addTimeline(s, id, event.position, e.data.assignedAt, status, null, actorOf(event));
      return;
    }
    case 'InformationRequested':
      return step(s, event, id, 'INFORMATION_REQUESTED', e.data.requestedAt, e.data.message);
    case 'InformationProvided':
      return step(s, event, id, 'IN_REVIEW', e.data.providedAt, e.data.personal?.message ?? null);
    case 'ApplicationApproved':
      return step(s, event, id, 'APPROVED', e.data.approvedAt, e.data.note);
    case 'ApplicationRejected':
      return step(s, event, id, 'REJECTED', e.data.rejectedAt, e.data.reason);
    case 'ApplicationWithdrawn':
      return step(s, event, id, 'WITHDRAWN', e.data.withdrawnAt, null);
    case 'ApplicationOverdue':
      s.overdue.run(event.position, id);
      return;
    case 'ServiceRated':
      s.rate.run(e.data.stars, e.data.personal?.comment ?? null, event.position, id);
      return;
    case 'StatusEmailDelivered':
    case 'StatusEmailDeliveryFailed':
      return;
    default: {
      const unknown: never = e;
      return unknown;
    }
  }
}

function applyDocument(s: Statements, e: DocumentEvent) {
  switch (e.type) {
    case 'DocumentUploaded':
      s.upload.run(e.data.documentId, e.data.uploaderAccountId, e.data.uploadedAt);
      return;
    case 'DocumentClaimed':
      s.claim.run(e.data.applicationId, e.data.documentId);
      return;
    case 'DocumentReleased':
      s.release.run(e.data.documentId, e.data.applicationId);
      return;
    case 'DocumentPurged':
      s.purge.run(e.data.documentId);
      return;
    default: {
      const unknown: never = e;
      return unknown;
    }
  }
}

export function applicationsProjection(): Projection {
  let statements: Statements | undefined;
  return {
    name: 'applications',
    // 2: the actor's kind and role in each timeline row.
    version: 2,
    tables: APPLICATION_TABLES,
    setup(db) {
      db.exec(SCHEMA);
      addMissingColumns(db);
      statements = prepare(db);
    },
    apply(event) {
      if (!statements) throw new Error('applications projection used before setup');
      const typed = { type: event.type, data: event.data } as unknown;
      const kind = kindOfStream(event.stream);
      if (kind === 'application') applyApplication(statements, event, typed as ApplicationEvent);
      else if (kind === 'document') applyDocument(statements, typed as DocumentEvent);
    },
    applyAll(events) {
      if (!statements) throw new Error('applications projection used before setup');
      const s = statements;
      const rows: unknown[] = [];
      s.pendingTimeline = rows;
      try {
        for (const event of events) this.apply(event);
      } finally {
        s.pendingTimeline = null;
      }
      insertPendingTimeline(s, rows);
    },
  };
}
