import type Database from 'better-sqlite3';
import { occurredAtOf } from '../domain/audit/as-of.js';
import { ownerNamedBy, ownerOfStreamName } from '../domain/audit/stream-owner.js';
import type { RecordedEvent } from '../infra/eventstore/port.js';
import type { Projection } from './runner.js';

const OWNER_CACHE_LIMIT = 100_000;

/** Rows per multi-row INSERT of applyAll: one statement step instead of 100 (7 parameters a row). */
const ROWS_PER_INSERT = 100;
const COLUMNS = 7;
const ROW_MARKS = `(${Array.from({ length: COLUMNS }, () => '?').join(', ')})`;
const INSERT_AUDIT_ROWS =
  'INSERT OR REPLACE INTO audit_log (position, stream, revision, type, occurred_at, account_id, correlation_id) VALUES ';

const CANONICAL_INSTANT = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;

/** The event's time as canonical ISO text, so ranges compare as strings; cheap for the usual case. */
function occurredAtText(event: RecordedEvent): string | null {
  const stated = event.data.occurredAt;
  if (typeof stated === 'string' && CANONICAL_INSTANT.test(stated)) return stated;
  return occurredAtOf(event)?.toISOString() ?? null;
}

export interface AuditLogRow {
  position: number;
  stream: string;
  revision: number;
  type: string;
  occurred_at: string | null;
  account_id: string | null;
  /** The request that caused the event (its request id), so auditors can filter by it. */
  correlation_id: string | null;
}

/**
 * The audit log's index: one row per event, where it is (stream, revision, position), what it is, when
 * it happened and whose data it concerns (`account_id`: the data subject of src/domain/audit/
 * stream-owner.ts, an account id, or `application-<id>` for a foreign national's application). The events themselves stay in the store (the answer reads
 * them by stream and revision), so this table stays small and the replay fast.
 */
export function auditLogProjection(): Projection {
  let insert: Database.Statement;
  let insertMany: Database.Statement;
  let ownerOf: Database.Statement<[string], { account_id: string }>;
  let setOwner: Database.Statement;
  const owners = new Map<string, string | null>();

  function ownerFor(event: RecordedEvent): string | null {
    const named = ownerOfStreamName(event.stream);
    if (named !== null) return named;
    let owner = owners.get(event.stream);
    if (owner === undefined) {
      owner = ownerOf.get(event.stream)?.account_id ?? null;
      if (owners.size >= OWNER_CACHE_LIMIT) owners.clear();
      owners.set(event.stream, owner);
    }
    if (owner !== null) return owner;
    owner = ownerNamedBy(event.stream, event.type, event.data);
    if (owner === null) return null;
    setOwner.run(event.stream, owner);
    owners.set(event.stream, owner);
    return owner;
  }

  /** The audit_log row of an event, as the seven parameters of an insert. */
  function pushRow(values: unknown[], event: RecordedEvent): void {
    values.push(
      event.position,
      event.stream,
      event.revision,
      event.type,
      occurredAtText(event),
      ownerFor(event),
      typeof event.metadata.correlationId === 'string' ? event.metadata.correlationId : null,
    );
  }

  return {
    name: 'audit-log',
    // 2: owners of application and document streams (applicant.accountId, uploaderAccountId).
    // 3: the correlation id (the request id), to filter by.
    version: 3,
    tables: ['audit_log', 'audit_stream_owner'],
    setup(db) {
      db.exec(`
        CREATE TABLE IF NOT EXISTS audit_log (
          position    INTEGER PRIMARY KEY,
          stream      TEXT    NOT NULL,
          revision    INTEGER NOT NULL,
          type        TEXT    NOT NULL,
          occurred_at TEXT,
          account_id  TEXT,
          correlation_id TEXT
        );
        CREATE INDEX IF NOT EXISTS audit_log_account ON audit_log (account_id, position) WHERE account_id IS NOT NULL;
        CREATE INDEX IF NOT EXISTS audit_log_correlation ON audit_log (correlation_id, position);
        CREATE TABLE IF NOT EXISTS audit_stream_owner (stream TEXT PRIMARY KEY, account_id TEXT NOT NULL);
      `);
      insert = db.prepare(INSERT_AUDIT_ROWS + ROW_MARKS);
      insertMany = db.prepare(
        INSERT_AUDIT_ROWS + Array.from({ length: ROWS_PER_INSERT }, () => ROW_MARKS).join(', '),
      );
      ownerOf = db.prepare('SELECT account_id FROM audit_stream_owner WHERE stream = ?');
      setOwner = db.prepare('INSERT OR IGNORE INTO audit_stream_owner (stream, account_id) VALUES (?, ?)');
      owners.clear();
    },
    apply(event) {
      const values: unknown[] = [];
      pushRow(values, event);
      insert.run(values);
    },
    applyAll(events) {
      // The rows `apply` writes, in the same order, ROWS_PER_INSERT to a statement.
      const full = events.length - (events.length % ROWS_PER_INSERT);
      const values: unknown[] = [];
      for (let i = 0; i < full; i++) {
        pushRow(values, events[i]!);
        if (values.length === ROWS_PER_INSERT * COLUMNS) insertMany.run(values.splice(0));
      }
      for (let i = full; i < events.length; i++) {
        pushRow(values, events[i]!);
        insert.run(values.splice(0));
      }
    },
  };
}
