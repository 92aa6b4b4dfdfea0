import type Database from 'better-sqlite3';
import { occurredAtOf } from '../../domain/audit/as-of.js';
import { ownerNamedBy, ownerOfStreamName } from '../../domain/audit/stream-owner.js';
import type { EventStore, RecordedEvent } from '../../infra/eventstore/port.js';
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
  /** The account of whoever caused each entry (metadata.actor.accountId), null when none is named. */
  actorAccounts: Array<string | null>;
  /**
   * Positions in the page's range that the log holds and the index does not (a row deleted from the
   * read model, or never written): such an event matching the query is shown among the entries, read
   * from the log, and every one is reported here rather than skipped.
   */
  indexGaps: number[];
}

/** Most log events one page compares with the index: a page far apart in the log checks its start. */
const GAP_CHECK_BUDGET = 10_000;

function actorAccountOf(event: RecordedEvent | undefined): string | null {
  const actor = event?.metadata.actor as { accountId?: unknown } | undefined;
  return typeof actor?.accountId === 'string' ? actor.accountId : null;
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
  const shown = matching.slice(0, query.first);
  const entries = shown.map(toAuditEntry);
  return {
    entries,
    hasNextPage: matching.length > query.first,
    subjects: entries.map(() => owner),
    streamSubject: owner,
    actorAccounts: shown.map(actorAccountOf),
    // Read from the log itself: there is no index to have a gap.
    indexGaps: [],
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
  const hasNextPage = rows.length > query.first;
  const read = await Promise.all(page.map((row) => readEntry(store, row)));
  const found: Array<{ entry: AuditEntry; subject: string | null; actor: string | null }> = read.map(
    (entry, i) => ({ entry: entry.entry, subject: page[i]!.account_id, actor: actorAccountOf(entry.event) }),
  );
  const gaps = await indexGaps(readDb, store, query, hasNextPage ? page.at(-1)!.position : null);
  for (const gap of gaps.matching)
    found.push({ entry: toAuditEntry(gap.event), subject: gap.owner, actor: actorAccountOf(gap.event) });
  found.sort((a, b) => a.entry.position - b.entry.position);
  return {
    entries: found.map((item) => item.entry),
    actorAccounts: found.map((item) => item.actor),
    hasNextPage,
    subjects: found.map((item) => item.subject),
    // Here a stream is only ever queried with an identifier, whose reading is recorded anyway.
    streamSubject: query.stream === undefined ? null : ownerOfStreamName(query.stream),
    indexGaps: gaps.positions,
  };
}

/**
 * Compares the page's stretch of the log (after the cursor, up to the page's last row, or to where the
 * index has reached on the last page) with the index, position by position: an event the index lacks
 * is a gap, reported; one that matches the query is returned to be shown.
 */
async function indexGaps(
  readDb: Database.Database,
  store: EventStore,
  query: AuditQuery,
  lastRowPosition: number | null,
): Promise<{ positions: number[]; matching: Array<{ event: RecordedEvent; owner: string | null }> }> {
  const reached = readDb.prepare('SELECT position FROM projection_checkpoint WHERE id = 1').get() as
    | { position: number }
    | undefined;
  const upTo = lastRowPosition ?? reached?.position ?? -1;
  const after = query.afterPosition ?? -1;
  if (upTo <= after) return { positions: [], matching: [] };
  const events = (await store.readAll({ after, maxCount: GAP_CHECK_BUDGET })).filter(
    (event) => event.position <= upTo,
  );
  if (events.length === 0) return { positions: [], matching: [] };
  const indexed = new Set(
    readDb
      .prepare<[number, number], { position: number }>(
        'SELECT position FROM audit_log WHERE position > ? AND position <= ?',
      )
      .all(after, events.at(-1)!.position)
      .map((row) => row.position),
  );
  const positions: number[] = [];
  const matching: Array<{ event: RecordedEvent; owner: string | null }> = [];
  for (const event of events) {
    if (indexed.has(event.position)) continue;
    positions.push(event.position);
    const owner = await ownerOf(readDb, store, event);
    if (matches(event, owner, query)) matching.push({ event, owner });
  }
  return { positions, matching };
}

async function ownerOf(readDb: Database.Database, store: EventStore, event: RecordedEvent) {
  const named = ownerOfStreamName(event.stream);
  if (named !== null) return named;
  const known = readDb
    .prepare<[string], { account_id: string }>('SELECT account_id FROM audit_stream_owner WHERE stream = ?')
    .get(event.stream);
  if (known) return known.account_id;
  const [first] = await store.readStream(event.stream, { maxCount: 1 });
  return first ? ownerNamedBy(event.stream, first.type, first.data) : null;
}

function matches(event: RecordedEvent, owner: string | null, query: AuditQuery): boolean {
  if (query.accountId !== undefined && owner !== query.accountId) return false;
  if (query.stream !== undefined && event.stream !== query.stream) return false;
  if (query.types && query.types.length > 0 && !query.types.includes(event.type)) return false;
  const at = occurredAtOf(event) ?? event.recordedAt;
  return !((query.from && at < query.from) || (query.to && at >= query.to));
}

async function readEntry(
  store: EventStore,
  row: AuditLogRow,
): Promise<{ entry: AuditEntry; event?: RecordedEvent }> {
  const [event] = await store.readStream(row.stream, { fromRevision: row.revision, maxCount: 1 });
  if (event && event.position === row.position) return { entry: toAuditEntry(event), event };
  return { entry: missingFromLog(row) };
}

function missingFromLog(row: AuditLogRow): AuditEntry {
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
