/**
 * Durable append throughput of the SQLite event store, beside what SQLite itself does on this machine.
 *
 *   npm run bench -- eventstore [--count=20000] [--seconds=6]
 *
 * Adapter: default options (synchronous=FULL), one event per append, each writer appending to its own
 * stream with the exact expected revision, for 1, 16 and 64 concurrent writers. Group commit is what
 * lets many writers share one fsync.
 * Baseline: a plain better-sqlite3 loop of one-row INSERT transactions on a similar table in WAL mode
 * with synchronous=NORMAL, which does not fsync on commit: the ceiling of what SQLite can do, not a
 * durable figure. The ratio adapter/baseline says how much of that ceiling durability and the adapter
 * leave us.
 * Each configuration stops at --count appends or after --seconds, whichever comes first.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { type ExpectedRevision, NO_STREAM } from '../src/infra/eventstore/port.js';
import { openSqliteEventStore } from '../src/infra/eventstore/sqlite.js';
import { numberOption } from './_options.js';

export interface Figure {
  appends: number;
  seconds: number;
  perSecond: number;
  /** Acknowledged appends the store does not hold afterwards (read back before closing). */
  lost?: number;
}

function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'portal-bench-es-'));
}

function event(n: number) {
  return {
    id: randomUUID(),
    type: 'BenchAppended',
    data: { n, at: 'x'.repeat(64) },
    metadata: { bench: true },
  };
}

export function baseline(count: number, seconds: number): Figure {
  const dir = tempDir();
  const db = new Database(join(dir, 'baseline.sqlite'));
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.exec(`CREATE TABLE events (
      position INTEGER PRIMARY KEY AUTOINCREMENT, stream TEXT NOT NULL, revision INTEGER NOT NULL,
      id TEXT NOT NULL, type TEXT NOT NULL, data TEXT NOT NULL, metadata TEXT NOT NULL,
      recorded_at INTEGER NOT NULL, UNIQUE (stream, revision));
      CREATE UNIQUE INDEX events_stream_id ON events (stream, id);`);
    const insert = db.prepare(
      'INSERT INTO events (stream, revision, id, type, data, metadata, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
    );
    const one = db.transaction((n: number) => {
      const e = event(n);
      insert.run('bench', n, e.id, e.type, JSON.stringify(e.data), JSON.stringify(e.metadata), Date.now());
    });
    const start = performance.now();
    const deadline = start + seconds * 1000;
    let n = 0;
    while (n < count && (n % 256 !== 0 || performance.now() < deadline)) one(n++);
    const elapsed = (performance.now() - start) / 1000;
    return { appends: n, seconds: elapsed, perSecond: n / elapsed };
  } finally {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function adapter(writers: number, count: number, seconds: number): Promise<Figure> {
  const dir = tempDir();
  const store = openSqliteEventStore({ file: join(dir, 'events.sqlite') });
  try {
    let issued = 0;
    let done = 0;
    const start = performance.now();
    const deadline = start + seconds * 1000;
    await Promise.all(
      Array.from({ length: writers }, async (_, w) => {
        const stream = `bench-${w}`;
        let expected: ExpectedRevision = NO_STREAM;
        while (issued < count && performance.now() < deadline) {
          issued += 1;
          const result = await store.append(stream, [event(issued)], expected);
          expected = result.nextRevision;
          done += 1;
        }
      }),
    );
    const elapsed = (performance.now() - start) / 1000;
    let stored = 0;
    for (let after = 0; ; ) {
      const rows = store.readAllRows(after, 5_000);
      if (rows.length === 0) break;
      stored += rows.length;
      after = rows[rows.length - 1]!.position;
    }
    return { appends: done, seconds: elapsed, perSecond: done / elapsed, lost: Math.max(0, done - stored) };
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

const fmt = (n: number) => Math.round(n).toLocaleString('en-US');

export async function main(args: string[]): Promise<void> {
  const count = numberOption(args, 'count', 20_000);
  const seconds = numberOption(args, 'seconds', 6);
  console.log(`temp files under ${tmpdir()}; up to ${fmt(count)} appends or ${seconds} s per configuration`);

  const base = baseline(count, seconds);
  console.log(
    `baseline  better-sqlite3 one-row INSERT transactions, WAL, synchronous=NORMAL: ${fmt(base.perSecond)}/s` +
      ` (${fmt(base.appends)} in ${base.seconds.toFixed(2)} s)`,
  );
  console.log('writers  appends   seconds  durable appends/s  baseline/s  ratio');
  for (const writers of [1, 16, 64]) {
    const figure = await adapter(writers, count, seconds);
    const ratio = figure.perSecond / base.perSecond;
    console.log(
      `${String(writers).padStart(7)}  ${fmt(figure.appends).padStart(7)}  ${figure.seconds.toFixed(2).padStart(7)}` +
        `  ${fmt(figure.perSecond).padStart(17)}  ${fmt(base.perSecond).padStart(10)}  ${ratio.toFixed(3).padStart(5)}`,
    );
  }
}
