import type Database from 'better-sqlite3';
import type { EventStore, RecordedEvent, Subscription } from '../infra/eventstore/port.js';

/**
 * A read model: a fold of the global log into tables. `apply` is synchronous and only writes through
 * the given connection, inside the runner's transaction, so rows and checkpoint commit together. It
 * reads only its own tables: the runner applies a batch to one projection after the other.
 */
export interface Projection {
  name: string;
  /** Tables this projection owns; dropped and created again by a rebuild. */
  tables: string[];
  /**
   * Bumped whenever `apply` changes what it writes: on start-up a read model built by another version
   * is rebuilt from the log (read models are caches, the log is the truth). 1 when absent.
   */
  version?: number;
  /**
   * A rebuild drops the secondary indexes of `tables` and creates them again at the end (sorting
   * once is far cheaper than inserting into a B-tree at random places a million times). So `apply`
   * must find rows by primary key only, unless this is set.
   */
  keepIndexesDuringRebuild?: boolean;
  /** Creates the tables (IF NOT EXISTS) and prepares statements. */
  setup(db: Database.Database): void;
  apply(event: RecordedEvent): void;
  /**
   * Optional: the same as `apply` on each event in turn (the same rows, in the same transaction), but
   * free to write them together, e.g. as multi-row INSERTs. The runner calls it when present.
   */
  applyAll?(events: RecordedEvent[]): void;
}

const CHECKPOINT_SCHEMA = `
CREATE TABLE IF NOT EXISTS projection_checkpoint (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  position INTEGER NOT NULL
);
INSERT OR IGNORE INTO projection_checkpoint (id, position) VALUES (1, 0);
CREATE TABLE IF NOT EXISTS projection_version (
  name TEXT PRIMARY KEY,
  version INTEGER NOT NULL
);
`;

const REPLAY_BATCH = 1_000;

/** SQLite page cache of a rebuild (`npm run audit -- replay`, a scratch rebuild): 256 MiB. */
const REBUILD_CACHE_KIB = 262_144;
/**
 * ... and of one a server runs at start-up: the memory stays with the process afterwards (freed pages
 * are not handed back to the system), so less: on 1,000,000 events, 64 MiB left 314 MB resident once
 * ready, 256 MiB 476 MB.
 */
const SERVING_REBUILD_CACHE_KIB = 65_536;

/**
 * Applies every projection to the global log, one transaction per batch of events, with the
 * checkpoint in the same transaction: a crash never applies an event twice or skips one.
 */
export class ProjectionRunner {
  private checkpoint: number;
  private pending: RecordedEvent[] = [];
  private flushScheduled = false;
  private subscription: Subscription | undefined;
  private waiters: Array<{ position: number; resolve(): void }> = [];
  private readonly applyBatch: (events: RecordedEvent[]) => void;
  private readonly listeners = new Set<(events: RecordedEvent[]) => void>();
  private failure: Error | undefined;
  /** Rebuilds from the log since this runner was made (the operations metrics read it). */
  rebuilds = 0;

  constructor(
    readonly db: Database.Database,
    private readonly store: EventStore,
    readonly projections: Projection[],
  ) {
    db.exec(CHECKPOINT_SCHEMA);
    for (const projection of projections) projection.setup(db);
    const save = db.prepare('UPDATE projection_checkpoint SET position = ? WHERE id = 1');
    this.checkpoint = (
      db.prepare('SELECT position FROM projection_checkpoint').get() as { position: number }
    ).position;
    // Projection by projection: read models are independent (each reads only its own tables), so the
    // order between them does not matter, and a whole batch at a time lets one write rows together.
    this.applyBatch = db.transaction((events: RecordedEvent[]) => {
      for (const projection of projections) {
        if (projection.applyAll) projection.applyAll(events);
        else for (const event of events) projection.apply(event);
      }
      save.run(events[events.length - 1]!.position);
    });
  }

  get position(): number {
    return this.checkpoint;
  }

  /** Catches up in large batches (rebuilding first if a read model changed version), then follows live. */
  async start(): Promise<void> {
    // Empty read models (a new instance, a deleted file) are built as a rebuild builds them: without
    // waiting for the disk, with a large page cache and the indexes made once at the end (measured on
    // 300,000 events: ready in 9.6 s instead of 15.2 s). Read models are a cache of the log, as for
    // any rebuild. A serving process keeps what its page cache grew to, so it builds with a smaller one.
    if (this.outdated().length > 0 || this.checkpoint === 0)
      await this.rebuild(undefined, SERVING_REBUILD_CACHE_KIB);
    else await this.catchUp();
    this.recordVersions();
    this.subscription = this.store.subscribeToAll({
      after: this.checkpoint,
      onEvent: (event) => {
        this.pending.push(event);
        if (!this.flushScheduled) {
          this.flushScheduled = true;
          setImmediate(() => this.flush());
        }
      },
      onError: (error) => {
        this.failure = error;
      },
    });
  }

  /** Projections whose tables were written by another version of their code (or by none, on a used file). */
  outdated(): string[] {
    const stored = new Map(
      (
        this.db.prepare('SELECT name, version FROM projection_version').all() as Array<{
          name: string;
          version: number;
        }>
      ).map((row) => [row.name, row.version]),
    );
    const fresh = this.checkpoint === 0;
    return this.projections
      .filter((p) => (stored.has(p.name) ? stored.get(p.name) !== (p.version ?? 1) : !fresh))
      .map((p) => p.name);
  }

  private recordVersions(): void {
    const upsert = this.db.prepare(
      'INSERT INTO projection_version (name, version) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET version = excluded.version',
    );
    for (const p of this.projections) upsert.run(p.name, p.version ?? 1);
  }

  /** Drops every projection's tables and folds the whole log again. */
  async rebuild(onProgress?: (position: number) => void, cacheKib = REBUILD_CACHE_KIB): Promise<void> {
    this.rebuilds += 1;
    for (const projection of this.projections) {
      for (const table of projection.tables) this.db.exec(`DROP TABLE IF EXISTS "${table}"`);
      projection.setup(this.db);
    }
    this.db.prepare('UPDATE projection_checkpoint SET position = 0 WHERE id = 1').run();
    this.checkpoint = 0;
    // A rebuild can always be started again from zero, so its commits need not wait for the disk;
    // the usual setting comes back before the runner follows the log live.
    const synchronous = this.db.pragma('synchronous', { simple: true });
    const cacheSize = this.db.pragma('cache_size', { simple: true });
    this.db.pragma('synchronous = OFF');
    // Read models keyed by random ids (applications, accounts) touch pages all over their B-trees:
    // with SQLite's default 2 MB cache a million-event rebuild spends its time re-reading pages.
    this.db.pragma(`cache_size = -${cacheKib}`);
    const deferred = this.dropSecondaryIndexes();
    try {
      await this.catchUp(onProgress);
    } finally {
      for (const sql of deferred) this.db.exec(sql);
      this.db.pragma(`synchronous = ${synchronous}`);
      this.db.pragma(`cache_size = ${cacheSize}`);
      // Free the rebuild's page cache now for the process's other uses, rather than at close.
      this.db.pragma('shrink_memory');
    }
    this.recordVersions();
  }

  /** Drops the indexes a rebuild may defer; returns the statements that create them again. */
  private dropSecondaryIndexes(): string[] {
    const tables = this.projections.filter((p) => !p.keepIndexesDuringRebuild).flatMap((p) => p.tables);
    if (tables.length === 0) return [];
    const indexes = this.db
      .prepare(
        `SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL AND tbl_name IN (${tables.map(() => '?').join(', ')})`,
      )
      .all(...tables) as Array<{ name: string; sql: string }>;
    for (const index of indexes) this.db.exec(`DROP INDEX "${index.name}"`);
    return indexes.map((index) => index.sql);
  }

  private async catchUp(onProgress?: (position: number) => void): Promise<void> {
    // Read the next batch while the current one is applied: the store's read may be I/O (a server).
    let next = this.store.readAll({ after: this.checkpoint, maxCount: REPLAY_BATCH });
    for (;;) {
      const batch = await next;
      if (batch.length === 0) return;
      next = this.store.readAll({ after: batch[batch.length - 1]!.position, maxCount: REPLAY_BATCH });
      this.commit(batch);
      onProgress?.(this.checkpoint);
    }
  }

  private flush(): void {
    this.flushScheduled = false;
    // The subscription started from the checkpoint, but a catch-up may have run meanwhile.
    const batch = this.pending.filter((event) => event.position > this.checkpoint);
    this.pending = [];
    if (batch.length > 0) this.commit(batch);
  }

  private commit(batch: RecordedEvent[]): void {
    try {
      this.applyBatch(batch);
    } catch (error) {
      this.failure = error instanceof Error ? error : new Error(String(error));
      throw this.failure;
    }
    this.checkpoint = batch[batch.length - 1]!.position;
    for (const listener of this.listeners) {
      // A failing listener (a notification, a websocket) must not stop the read models.
      try {
        listener(batch);
      } catch {}
    }
    const ready = this.waiters.filter((w) => w.position <= this.checkpoint);
    this.waiters = this.waiters.filter((w) => w.position > this.checkpoint);
    for (const waiter of ready) waiter.resolve();
  }

  /** Read your writes: resolves once the read models include the event at `position`. */
  waitFor(position: number | null, timeoutMs = 5_000): Promise<void> {
    if (position === null || position <= this.checkpoint) return Promise.resolve();
    if (this.failure) return Promise.reject(this.failure);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w !== waiter);
        reject(new Error(`read models did not reach position ${position} in ${timeoutMs} ms`));
      }, timeoutMs);
      const waiter = {
        position,
        resolve: () => {
          clearTimeout(timer);
          resolve();
        },
      };
      this.waiters.push(waiter);
    });
  }

  /** Called after each committed batch: subscriptions and notifications hang on this. */
  onCommitted(listener: (events: RecordedEvent[]) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  get healthy(): boolean {
    return this.failure === undefined;
  }

  async stop(): Promise<void> {
    await this.subscription?.close();
    this.subscription = undefined;
    this.flush();
  }
}
