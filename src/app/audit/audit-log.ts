import type Database from 'better-sqlite3';
import { occurredAtOf } from '../../domain/audit/as-of.js';
import { ownerNamedBy, ownerOfStreamName } from '../../domain/audit/stream-owner.js';
import type { EventStore } from '../../infra/eventstore/port.js';
import type { AuditLogRow } from '../../projections/audit.js';
import { type AuditEntry, toAuditEntry } from './audit-entry.js';

export interface AuditQuery {
  accountId?: string;
  stream?: string;
  types?: string[];
  from?: Date;
  to?: Date;
  /** Only events caused by this request (their metadata's correlation id). */
  correlationId?: string;
  /** Exclusive: entries after this global position. */
  afterPosition?: number;
  first: number;
}

export interface AuditPage {
  entries: AuditEntry[];
  hasNextPage: boolean;
  /**
   * Whose data each entry is (src/domain/audit/stream-owner.ts), null for events that concern no one
   * (checkpoints, scheduled checks, an anonymous upload): the readings the answer must record first.
   */
  subjects: Array<string | null>;
  /** Whose stream a query by stream read, even when no entry matched; null when no one's. */
  streamSubject: string | null;
}

/**
 * A page of the audit log in global order: the read model finds the positions, the events themselves
 * are read from the store by stream and revision, so the answer is what the log holds now. An event
 * the index knows but the log no longer holds is shown as missing, never skipped.
 */
export async function queryAuditLog(
  readDb: Database.Database,
  store: EventStore,
  query: AuditQuery,
): Promise<AuditPage> {
  // One stream alone is read from the store itself: it is already in order, and needs no index.
  if (query.stream !== undefined && query.accountId === undefined)
    return streamPage(store, query.stream, query);
  return indexedPage(readDb, store, query);
}

async function streamPage(store: EventStore, stream: string, query: AuditQuery): Promise<AuditPage> {
  const types = query.types && query.types.length > 0 ? new Set(query.types) : null;
  const events = await store.readStream(stream);
  // Whose stream it is comes from the stream itself (its name or its first event), not the read model.
  const first = events[0];
  const owner = ownerOfStreamName(stream) ?? (first ? ownerNamedBy(stream, first.type, first.data) : null);
  const matching = events.filter((event) => {
    if (query.afterPosition !== undefined && event.position <= query.afterPosition) return false;
    if (types && !types.has(event.type)) return false;
    if (query.correlationId !== undefined && event.metadata.correlationId !== query.correlationId)
      return false;
    const at = occurredAtOf(event) ?? event.recordedAt;
    return !((query.from && at < query.from) || (query.to && at >= query.to));
  });
  const entries = matching.slice(0, query.first).map(toAuditEntry);
  return {
    entries,
    hasNextPage: matching.length > query.first,
    subjects: entries.map(() => owner),
    streamSubject: owner,
  };
}

async function indexedPage(
  readDb: Database.Database,
  store: EventStore,
  query: AuditQuery,
): Promise<AuditPage> {
  const where: string[] = [];
  const params: unknown[] = [];
  const add = (clause: string, ...values: unknown[]) => {
    where.push(clause);
    params.push(...values);
  };
  if (query.accountId !== undefined) add('account_id = ?', query.accountId);
  if (query.stream !== undefined) add('stream = ?', query.stream);
  if (query.types && query.types.length > 0)
    add(`type IN (${query.types.map(() => '?').join(', ')})`, ...query.types);
  if (query.correlationId !== undefined) add('correlation_id = ?', query.correlationId);
  if (query.from) add('occurred_at >= ?', query.from.toISOString());
  if (query.to) add('occurred_at < ?', query.to.toISOString());
  if (query.afterPosition !== undefined) add('position > ?', query.afterPosition);
  const sql = `SELECT * FROM audit_log ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY position LIMIT ?`;
  const rows = readDb.prepare<unknown[], AuditLogRow>(sql).all(...params, query.first + 1);
  const page = rows.slice(0, query.first);
  const entries = await Promise.all(page.map((row) => readEntry(store, row)));
  return {
    entries,
    hasNextPage: rows.length > query.first,
    subjects: page.map((row) => row.account_id),
    // Here a stream is only ever queried with an identifier, whose reading is recorded anyway.
    streamSubject: query.stream === undefined ? null : ownerOfStreamName(query.stream),
  };
}

async function readEntry(store: EventStore, row: AuditLogRow): Promise<AuditEntry> {
  const [event] = await store.readStream(row.stream, { fromRevision: row.revision, maxCount: 1 });
  if (event && event.position === row.position) return toAuditEntry(event);
  return {
    position: row.position,
    stream: row.stream,
    revision: row.revision,
    type: row.type,
    occurredAt: row.occurred_at ?? new Date(0).toISOString(),
    recordedAt: row.occurred_at ?? new Date(0).toISOString(),
    actor: null,
    data: { missingFromLog: true },
    hash: 'MISSING',
    prevHash: null,
    personalDigest: null,
    correlationId: null,
    ip: null,
  };
}
