import { EventEmitter } from 'node:events';
import Database from 'better-sqlite3';
import { storedJson } from '../canonical-json.js';
import { ensurePrivateFile } from '../private-files.js';
import { DependencyUnavailableError, isSqliteOutage } from '../unavailable.js';
import {
  ANY,
  type AppendOptions,
  type AppendResult,
  type EventStore,
  type EventToAppend,
  type ExpectedRevision,
  expectationHolds,
  NO_STREAM,
  type ReadAllOptions,
  type ReadStreamOptions,
  type RecordedEvent,
  STREAM_EXISTS,
  type SubscribeOptions,
  type Subscription,
  WrongExpectedVersionError,
} from './port.js';
import { type RawEventRow, SqliteReadThread } from './sqlite-read-thread.js';
import { catchUpSubscription } from './subscription.js';

export interface SqliteEventStoreOptions {
  file: string;
  /** synchronous=FULL (the default): an acknowledged append survives power loss, not only a crash. */
  durable?: boolean;
  /** How often a live subscription looks for events written by other processes sharing the file. */
  pollIntervalMs?: number;
  /** How long a deferrable append may wait for an append it can share a commit with (default 100 ms). */
  maxDeferMs?: number;
  /**
   * Tests only: allows setWriteFault, which makes every write transaction fail as a full disk does
   * (CI runs as root, so a read-only file is still written, and max_page_count is per connection).
   */
  testFaults?: boolean;
}

/** A write fault a test can inject: the result code SQLite gives when the disk is full. */
export type WriteFault = 'SQLITE_FULL';

interface PendingAppend {
  stream: string;
  events: EventToAppend[];
  expected: ExpectedRevision;
  resolve(result: AppendResult): void;
  reject(error: unknown): void;
}

interface EventRow {
  position: number;
  stream: string;
  revision: number;
  id: string;
  type: string;
  data: string;
  metadata: string;
  recorded_at: number;
}

const SCHEMA = `
CREATE TABLE IF NOT EXISTS events (
  position    INTEGER PRIMARY KEY AUTOINCREMENT, -- never reused, so a removed event leaves a visible gap
  stream      TEXT    NOT NULL,
  revision    INTEGER NOT NULL,
  id          TEXT    NOT NULL,
  type        TEXT    NOT NULL,
  data        TEXT    NOT NULL,
  metadata    TEXT    NOT NULL,
  recorded_at INTEGER NOT NULL,
  UNIQUE (stream, revision)
);
CREATE UNIQUE INDEX IF NOT EXISTS events_stream_id ON events (stream, id);
`;

/** Where checkWritable writes: one row, never read by anything but that check. */
const WRITE_PROBE_SCHEMA =
  'CREATE TABLE IF NOT EXISTS write_probe (id INTEGER PRIMARY KEY CHECK (id = 1), at INTEGER NOT NULL)';

/** The same for a row of the reader thread (column order of its SELECT). */
function fromRawRow(row: RawEventRow): RecordedEvent {
  return {
    id: row[3],
    stream: row[1],
    revision: row[2],
    position: row[0],
    type: row[4],
    data: JSON.parse(row[5]),
    metadata: JSON.parse(row[6]),
    recordedAt: new Date(row[7]),
  };
}

function toRecorded(row: EventRow): RecordedEvent {
  return {
    id: row.id,
    stream: row.stream,
    revision: row.revision,
    position: row.position,
    type: row.type,
    data: JSON.parse(row.data),
    metadata: JSON.parse(row.metadata),
    recordedAt: new Date(row.recorded_at),
  };
}

/**
 * Reads of at least this many events (a replay, a catch-up) go to a reader thread once one of them
 * came back full; smaller ones (a subscription's live reads, a stream) stay on the caller's thread.
 */
const THREADED_READ = 1_000;

/** Events kept in memory for live subscriptions (halved when reached). */
const TAIL_LIMIT = 4_096;

export class SqliteEventStore implements EventStore {
  readonly db: Database.Database;
  private readonly appended = new EventEmitter();
  /** Counts for benchmarks: transactions committed (one fsync each when durable) and appends in them. */
  readonly stats = { commits: 0, appends: 0 };
  private queue: PendingAppend[] = [];
  private flushScheduled = false;
  private deferTimer: NodeJS.Timeout | undefined;
  private readonly maxDeferMs: number;
  private closed = false;
  private readonly pollIntervalMs: number;
  private readonly file: string;
  /** Started by the first large read that came back full; undefined until then. */
  private readThread: SqliteReadThread | undefined;
  private readonly statements;
  private readonly writeBatch: Database.Transaction<
    (batch: PendingAppend[], written: EventRow[]) => Array<AppendResult | Error>
  >;
  /**
   * The events this process committed last, as stored: positions tailStart + 1 ... tailStart +
   * tail.length, without a hole. A live subscription woken by our own append reads them here instead
   * of reading back and parsing what it was just handed (two read transactions per commit).
   */
  private tail: EventRow[] = [];
  private tailStart = 0;
  private readonly testFaults: boolean;
  private writeFault: WriteFault | null = null;

  constructor(options: SqliteEventStoreOptions) {
    // Owner-only: the log holds personal data and the audit's evidence (private-files.ts).
    if (options.file !== ':memory:') ensurePrivateFile(options.file);
    this.file = options.file;
    this.db = new Database(options.file);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma(`synchronous = ${options.durable === false ? 'NORMAL' : 'FULL'}`);
    this.db.pragma('busy_timeout = 5000');
    this.db.exec(SCHEMA);
    this.pollIntervalMs = options.pollIntervalMs ?? 250;
    this.maxDeferMs = options.maxDeferMs ?? 100;
    this.testFaults = options.testFaults === true;
    this.appended.setMaxListeners(0);
    this.statements = {
      lastRevision: this.db.prepare<[string], { revision: number }>(
        'SELECT revision FROM events WHERE stream = ? ORDER BY revision DESC LIMIT 1',
      ),
      byId: this.db.prepare<[string, string], { revision: number; position: number }>(
        'SELECT revision, position FROM events WHERE stream = ? AND id = ?',
      ),
      insert: this.db.prepare(
        'INSERT INTO events (stream, revision, id, type, data, metadata, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
      ),
      readStream: this.db.prepare<[string, number, number], EventRow>(
        'SELECT * FROM events WHERE stream = ? AND revision >= ? ORDER BY revision LIMIT ?',
      ),
      readAll: this.db.prepare<[number, number], EventRow>(
        'SELECT * FROM events WHERE position > ? ORDER BY position LIMIT ?',
      ),
      head: this.db.prepare<[], { position: number | null }>('SELECT MAX(position) AS position FROM events'),
    };
    // One transaction for the whole batch; each append runs in its own savepoint so that one that fails
    // (a conflict, a bad row) rolls back alone and the others still commit with the same fsync.
    const appendOne = this.db.transaction((pending: PendingAppend, rows: EventRow[]) =>
      this.appendInTransaction(pending, rows),
    );
    this.writeBatch = this.db.transaction((batch: PendingAppend[], written: EventRow[]) => {
      const outcomes = batch.map((pending) => {
        const rows: EventRow[] = [];
        let outcome: AppendResult;
        try {
          outcome = appendOne(pending, rows);
        } catch (error) {
          return error instanceof Error ? error : new Error(String(error));
        }
        // Only once its savepoint is released (a rolled-back append wrote nothing), and outside the
        // try: nothing that fails after the release may report as failed an append that will commit.
        for (const row of rows) written.push(row);
        return outcome;
      });
      // An injected fault strikes after the rows were inserted, where a full disk strikes (at the
      // journal's growth or the commit), so the rollback of a whole batch is what is tested.
      if (this.writeFault) throw new Database.SqliteError('database or disk is full', this.writeFault);
      return outcomes;
    });
  }

  /** Tests only (testFaults): every write fails as `fault` does until it is set back to null. */
  setWriteFault(fault: WriteFault | null): void {
    if (!this.testFaults) throw new Error('write faults are only for tests (testFaults option)');
    this.writeFault = fault;
  }

  append(
    stream: string,
    events: EventToAppend[],
    expectedRevision: ExpectedRevision,
    options: AppendOptions = {},
  ): Promise<AppendResult> {
    if (this.closed) return Promise.reject(new Error('event store is closed'));
    if (events.length === 0) return Promise.reject(new Error('append needs at least one event'));
    const deferrable = options.deferrable === true;
    return new Promise((resolve, reject) => {
      this.queue.push({ stream, events, expected: expectedRevision, resolve, reject });
      if (!deferrable) {
        if (!this.flushScheduled) {
          this.flushScheduled = true;
          // setImmediate, not a microtask: appends that arrive from I/O callbacks in the same turn of
          // the event loop join the batch and share one fsync (group commit).
          setImmediate(() => this.flush());
        }
      } else if (!this.flushScheduled && !this.deferTimer) {
        // Each fsync costs the disk a flush and the event loop two or three sleeps and wake-ups, each
        // taking a core from argon2: an append nobody waits for rides with the next one that is waited
        // for, or is written on its own after maxDeferMs.
        this.deferTimer = setTimeout(() => this.flush(), this.maxDeferMs);
      }
    });
  }

  commitDeferred(): void {
    if (this.deferTimer && !this.flushScheduled) {
      this.flushScheduled = true;
      setImmediate(() => this.flush());
    }
  }

  private flush(): void {
    this.flushScheduled = false;
    clearTimeout(this.deferTimer);
    this.deferTimer = undefined;
    const batch = this.queue;
    this.queue = [];
    if (batch.length === 0) return;
    let outcomes: Array<AppendResult | Error>;
    const written: EventRow[] = [];
    try {
      // IMMEDIATE takes the write lock up front: with a deferred transaction, a second process that
      // wrote since our last read makes the first INSERT fail at once with SQLITE_BUSY.
      outcomes = this.writeBatch.immediate(batch, written);
      this.stats.commits += 1;
      this.stats.appends += batch.length;
    } catch (error) {
      // The whole batch rolled back: nothing of it is in the file, every append of it is refused.
      // Want of disk or of the lock is an outage (UNAVAILABLE), and the next batch simply tries again.
      const outage = isSqliteOutage(error);
      const refusal = outage
        ? new DependencyUnavailableError(
            'event store',
            'The event store cannot write right now; try again.',
            error,
          )
        : error;
      for (const pending of batch) pending.reject(refusal);
      return;
    }
    this.keepInTail(written);
    // Resolve only after COMMIT returned: an acknowledged append is durable.
    batch.forEach((pending, i) => {
      const outcome = outcomes[i]!;
      if (outcome instanceof Error) pending.reject(outcome);
      else pending.resolve(outcome);
    });
    // Only when rows were written: a wake-up with nothing new would send subscriptions to the tail
    // for nothing, and each one postpones their next look at the file.
    if (written.length > 0) this.appended.emit('appended');
  }

  /** Committed rows join the tail; a hole (another process wrote in between) starts it afresh. */
  private keepInTail(rows: EventRow[]): void {
    for (const row of rows) {
      if (row.position !== this.tailStart + this.tail.length + 1) {
        this.tail = [];
        this.tailStart = row.position - 1;
      }
      this.tail.push(row);
    }
    if (this.tail.length > TAIL_LIMIT) {
      const drop = this.tail.length - TAIL_LIMIT / 2;
      this.tail.splice(0, drop);
      this.tailStart += drop;
    }
  }

  /**
   * The events after `after` when the tail holds every one of them that this process knows of;
   * undefined when it cannot tell (`after` is before the tail or past it), so the file must be read.
   */
  private readTail(after: number, maxCount: number): RecordedEvent[] | undefined {
    if (this.tail.length === 0 || after < this.tailStart || after > this.tailStart + this.tail.length)
      return undefined;
    const from = after - this.tailStart;
    return this.tail.slice(from, from + maxCount).map(toRecorded);
  }

  private appendInTransaction({ stream, events, expected }: PendingAppend, rows: EventRow[]): AppendResult {
    const last = this.statements.lastRevision.get(stream);
    const actual = last === undefined ? NO_STREAM : last.revision;
    const replay = this.idempotentReplay(stream, events, expected);
    if (replay) return replay;
    if (!expectationHolds(expected, actual)) throw new WrongExpectedVersionError(stream, expected, actual);
    let revision = actual === NO_STREAM ? -1 : actual;
    let position = -1;
    const now = Date.now();
    for (const event of events) {
      revision += 1;
      const data = storedJson(event.data);
      const metadata = storedJson(event.metadata);
      const info = this.statements.insert.run(stream, revision, event.id, event.type, data, metadata, now);
      position = Number(info.lastInsertRowid);
      rows.push({
        position,
        stream,
        revision,
        id: event.id,
        type: event.type,
        data,
        metadata,
        recorded_at: now,
      });
    }
    return { nextRevision: revision, position };
  }

  /**
   * The same event ids appended again (a retried request): answer as the first time, write nothing.
   * As in EventStoreDB, only when the expectation would have held for the first write; ids that are
   * already there in any other way make the append a conflict, not a duplicate row.
   */
  private idempotentReplay(
    stream: string,
    events: EventToAppend[],
    expected: ExpectedRevision,
  ): AppendResult | undefined {
    const found = events.map((event) => this.statements.byId.get(stream, event.id));
    if (found.every((f) => f === undefined)) return undefined;
    const first = found[0];
    const consecutive = first !== undefined && found.every((f, i) => f?.revision === first.revision + i);
    const expectationHeldThen =
      expected === ANY ||
      expected === STREAM_EXISTS ||
      (expected === NO_STREAM ? first?.revision === 0 : first?.revision === expected + 1);
    if (!consecutive || !expectationHeldThen) {
      const last = this.statements.lastRevision.get(stream);
      throw new WrongExpectedVersionError(stream, expected, last === undefined ? NO_STREAM : last.revision);
    }
    const lastSeen = found[found.length - 1]!;
    return { nextRevision: lastSeen.revision, position: lastSeen.position };
  }

  async readStream(stream: string, options: ReadStreamOptions = {}): Promise<RecordedEvent[]> {
    return this.statements.readStream
      .all(stream, options.fromRevision ?? 0, options.maxCount ?? -1)
      .map(toRecorded);
  }

  async readAll(options: ReadAllOptions = {}): Promise<RecordedEvent[]> {
    const after = options.after ?? 0;
    const maxCount = options.maxCount ?? -1;
    const here = () => this.statements.readAll.all(after, maxCount).map(toRecorded);
    if (maxCount < THREADED_READ || this.closed) return here();
    if (this.readThread) return this.readThread.read(after, maxCount, here);
    const events = here();
    // A full batch: more are likely to follow, worth a thread (a fresh or small log never starts one).
    if (events.length === maxCount && this.file !== ':memory:')
      this.readThread = new SqliteReadThread(this.file, fromRawRow);
    return events;
  }

  /** The raw rows, for the replay benchmark's baseline and the audit tools. */
  readAllRows(after: number, maxCount: number): EventRow[] {
    return this.statements.readAll.all(after, maxCount);
  }

  subscribeToAll(options: SubscribeOptions): Subscription {
    return catchUpSubscription({
      read: (after) => this.readAll({ after, maxCount: 500 }),
      readRecent: (after) => this.readTail(after, 500),
      onAppended: (listener) => {
        this.appended.on('appended', listener);
        return () => this.appended.off('appended', listener);
      },
      onClosed: (listener) => {
        this.appended.once('closed', listener);
        return () => this.appended.off('closed', listener);
      },
      pollIntervalMs: this.pollIntervalMs,
      options,
    });
  }

  async headPosition(): Promise<number> {
    return this.statements.head.get()?.position ?? -1;
  }

  async ping(): Promise<void> {
    if (this.closed) throw new Error('event store is closed');
    this.db.prepare('SELECT 1').get();
  }

  /**
   * One row rewritten and committed (fsync included) in a table of its own beside the events: what an
   * append needs from the disk, without an event. Between turns of the event loop no batch is open,
   * so this never lands inside a group commit.
   */
  async checkWritable(): Promise<void> {
    if (this.closed) throw new Error('event store is closed');
    // The injected full disk fails this write too, as a real one would.
    if (this.writeFault) throw new Database.SqliteError('database or disk is full', this.writeFault);
    this.db.exec(WRITE_PROBE_SCHEMA);
    this.db
      .prepare(
        'INSERT INTO write_probe (id, at) VALUES (1, ?) ON CONFLICT (id) DO UPDATE SET at = excluded.at',
      )
      .run(Date.now());
  }

  async close(): Promise<void> {
    if (this.closed) return;
    // Appends already queued are written before the file closes: they may have been promised.
    this.flush();
    this.closed = true;
    this.appended.emit('closed');
    const reader = this.readThread?.close();
    this.db.close();
    await reader;
  }
}

export function openSqliteEventStore(options: SqliteEventStoreOptions): SqliteEventStore {
  return new SqliteEventStore(options);
}
