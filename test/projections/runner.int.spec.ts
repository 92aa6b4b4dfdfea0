import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RecordedEvent } from '../../src/infra/eventstore/port.js';
import { ANY } from '../../src/infra/eventstore/port.js';
import { openSqliteEventStore, type SqliteEventStore } from '../../src/infra/eventstore/sqlite.js';
import { type Projection, ProjectionRunner } from '../../src/projections/runner.js';

/** A small read model: a total per stream, and a poison event type that makes apply throw. */
function totals(): Projection & { applied: number } {
  let upsert: Database.Statement;
  const projection = {
    name: 'totals',
    tables: ['totals'],
    applied: 0,
    setup(db: Database.Database) {
      db.exec(
        'CREATE TABLE IF NOT EXISTS totals (stream TEXT PRIMARY KEY, total INTEGER NOT NULL, events INTEGER NOT NULL)',
      );
      upsert = db.prepare(
        'INSERT INTO totals VALUES (?, ?, 1) ON CONFLICT (stream) DO UPDATE SET total = total + excluded.total, events = events + 1',
      );
    },
    apply(event: RecordedEvent) {
      if (event.type === 'Poison') throw new Error('poison');
      projection.applied += 1;
      upsert.run(event.stream, Number(event.data.amount ?? 0));
    },
  };
  return projection;
}

const dump = (db: Database.Database) => db.prepare('SELECT * FROM totals ORDER BY stream').all();
const event = (amount: number, type = 'Added') => ({
  id: randomUUID(),
  type,
  data: { amount },
  metadata: {},
});

describe('ProjectionRunner', () => {
  let dir: string;
  let store: SqliteEventStore;
  const dbs: Database.Database[] = [];
  const openDb = (name = 'read.sqlite') => {
    const db = new Database(join(dir, name));
    dbs.push(db);
    return db;
  };
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'proj-'));
    store = openSqliteEventStore({ file: join(dir, 'events.sqlite'), durable: false });
  });
  afterEach(async () => {
    await store.close();
    for (const db of dbs.splice(0)) if (db.open) db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('follows the log live and answers waitFor once the rows are there (read your writes)', async () => {
    const runner = new ProjectionRunner(openDb(), store, [totals()]);
    await runner.start();
    const { position } = await store.append('s-1', [event(5), event(7)], ANY);
    await runner.waitFor(position);
    expect(dump(runner.db)).toEqual([{ stream: 's-1', total: 12, events: 2 }]);
    await runner.stop();
  });

  it('continues from its checkpoint after a restart, applying no event twice', async () => {
    await store.append('s-1', [event(1), event(2)], ANY);
    const db = openDb();
    const first = new ProjectionRunner(db, store, [totals()]);
    await first.start();
    await first.stop();
    await store.append('s-1', [event(4)], ANY);
    const second = totals();
    const runner = new ProjectionRunner(db, store, [second]);
    await runner.start();
    await runner.waitFor(await store.headPosition());
    expect(second.applied).toBe(1);
    expect(dump(db)).toEqual([{ stream: 's-1', total: 7, events: 3 }]);
    await runner.stop();
  });

  it('a new instance on an existing log builds its read models whole, then serves with its own settings and indexes', async () => {
    await store.append('s-1', [event(1), event(2)], ANY);
    await store.append('s-2', [event(40)], ANY);
    const db = openDb();
    db.pragma('synchronous = NORMAL');
    const cacheSize = db.pragma('cache_size', { simple: true });
    const built = totals();
    // With an index of its own, which a rebuild drops while it folds and makes again at the end.
    const setup = built.setup;
    built.setup = (d) => {
      setup(d);
      d.exec('CREATE INDEX IF NOT EXISTS totals_by_total ON totals (total)');
    };
    const runner = new ProjectionRunner(db, store, [built]);
    await runner.start();
    expect(built.applied).toBe(3);
    expect(dump(db)).toEqual([
      { stream: 's-1', total: 3, events: 2 },
      { stream: 's-2', total: 40, events: 1 },
    ]);
    expect(runner.position).toBe(await store.headPosition());
    expect(db.pragma('synchronous', { simple: true })).toBe(1);
    expect(db.pragma('cache_size', { simple: true })).toBe(cacheSize);
    expect(
      db.prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND name = 'totals_by_total'").get(),
    ).toEqual({
      name: 'totals_by_total',
    });
    // Then it follows the log live as before.
    const { position } = await store.append('s-2', [event(2)], ANY);
    await runner.waitFor(position);
    expect(dump(db)).toContainEqual({ stream: 's-2', total: 42, events: 2 });
    await runner.stop();
  });

  it('commits rows and checkpoint together: a failing batch leaves both unchanged', async () => {
    await store.append('s-1', [event(1)], ANY);
    const db = openDb();
    const runner = new ProjectionRunner(db, store, [totals()]);
    await runner.start();
    await runner.stop();
    const before = runner.position;
    await store.append('s-2', [event(10), event(0, 'Poison')], ANY);
    const failing = new ProjectionRunner(db, store, [totals()]);
    await expect(failing.start()).rejects.toThrow('poison');
    expect(dump(db)).toEqual([{ stream: 's-1', total: 1, events: 1 }]);
    expect(db.prepare('SELECT position FROM projection_checkpoint').get()).toEqual({ position: before });
    expect(failing.healthy).toBe(false);
  });

  it('a log of several large batches (read on the reader thread of the store) rebuilds to the live tables, each event once', async () => {
    const amounts = Array.from({ length: 3_300 }, (_, i) => (i * 7919) % 101);
    for (let i = 0; i < amounts.length; i += 300)
      await store.append(
        `big-${i % 4}`,
        amounts.slice(i, i + 300).map((a) => event(a)),
        ANY,
      );
    const live = totals();
    const runner = new ProjectionRunner(openDb('live.sqlite'), store, [live]);
    await runner.start();
    await runner.stop();
    expect(live.applied).toBe(3_300);
    const rebuilt = totals();
    const again = new ProjectionRunner(openDb('rebuilt.sqlite'), store, [rebuilt]);
    await again.rebuild();
    expect(rebuilt.applied).toBe(3_300);
    expect(again.position).toBe(await store.headPosition());
    expect(dump(again.db)).toEqual(dump(runner.db));
    expect((dump(runner.db) as Array<{ total: number }>).reduce((sum, row) => sum + row.total, 0)).toBe(
      amounts.reduce((sum, a) => sum + a, 0),
    );
  });

  it('rebuild from zero gives the same tables as live running, for any history', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(fc.constantFrom('a', 'b', 'c'), fc.integer({ min: -50, max: 50 })), {
          maxLength: 40,
        }),
        async (history) => {
          const prefix = randomUUID();
          const live = new ProjectionRunner(openDb(`${prefix}-live.sqlite`), store, [totals()]);
          await live.start();
          // Appends interleave with live application, in small groups.
          for (const [stream, amount] of history)
            await store.append(`${prefix}-${stream}`, [event(amount)], ANY);
          await live.waitFor(await store.headPosition());
          await live.stop();
          const rebuilt = new ProjectionRunner(openDb(`${prefix}-rebuilt.sqlite`), store, [totals()]);
          await rebuilt.rebuild();
          expect(dump(rebuilt.db)).toEqual(dump(live.db));
          // Rebuilding the live one in place also converges on the same rows.
          await live.rebuild();
          expect(dump(live.db)).toEqual(dump(rebuilt.db));
        },
      ),
      { numRuns: 15 },
    );
  });
});

describe('ProjectionRunner versions', () => {
  it('rebuilds on start-up when a read model changed version, and only then', async () => {
    const { mkdtempSync: mk, rmSync: rm } = await import('node:fs');
    const dir = mk(join(tmpdir(), 'proj-version-'));
    const store = openSqliteEventStore({ file: join(dir, 'events.sqlite'), durable: false });
    const db = new Database(join(dir, 'read.sqlite'));
    try {
      await store.append('v-1', [event(2), event(3)], ANY);
      const v1 = totals();
      const first = new ProjectionRunner(db, store, [v1]);
      await first.start();
      await first.stop();
      expect(v1.applied).toBe(2);
      // Same version: continues from the checkpoint, applies nothing again.
      const same = totals();
      const second = new ProjectionRunner(db, store, [same]);
      await second.start();
      await second.stop();
      expect(same.applied).toBe(0);
      // A new version of the code: the tables are rebuilt from the log.
      const bumped = { ...totals(), version: 2 };
      const third = new ProjectionRunner(db, store, [bumped]);
      expect(third.outdated()).toEqual(['totals']);
      await third.start();
      await third.stop();
      expect(dump(db)).toEqual([{ stream: 'v-1', total: 5, events: 2 }]);
      expect(new ProjectionRunner(db, store, [{ ...totals(), version: 2 }]).outdated()).toEqual([]);
    } finally {
      await store.close();
      db.close();
      rm(dir, { recursive: true, force: true });
    }
  });
});
