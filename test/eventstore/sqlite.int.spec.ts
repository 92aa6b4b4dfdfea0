/**
 * The SQLite adapter: the conformance suite on a temp file, plus what only this adapter promises
 * (the file is the store: reopening keeps everything; group commit keeps each append's own outcome).
 */
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import fc from 'fast-check';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  ANY,
  type EventStore,
  type EventToAppend,
  NO_STREAM,
  type RecordedEvent,
  WrongExpectedVersionError,
} from '../../src/infra/eventstore/port.js';
import { openSqliteEventStore, type SqliteEventStore } from '../../src/infra/eventstore/sqlite.js';
import { SqliteReadThread } from '../../src/infra/eventstore/sqlite-read-thread.js';
import { eventStoreConformance } from './conformance.js';

async function tempFile(): Promise<{ file: string; remove(): Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'portal-es-'));
  return { file: join(dir, 'events.sqlite'), remove: () => rm(dir, { recursive: true, force: true }) };
}

eventStoreConformance('sqlite', async () => {
  const { file, remove } = await tempFile();
  const store = openSqliteEventStore({ file });
  return {
    store,
    async cleanup() {
      await store.close();
      await remove();
    },
  };
});

function ev(data: Record<string, unknown> = {}): EventToAppend {
  return { id: randomUUID(), type: 'SqliteTested', data, metadata: { m: 1 } };
}

describe('SQLite event store', () => {
  const removals: Array<() => Promise<void>> = [];
  afterEach(async () => {
    for (const remove of removals.splice(0)) await remove();
  });

  async function newFile(): Promise<string> {
    const { file, remove } = await tempFile();
    removals.push(remove);
    return file;
  }

  it('reopening the file keeps every event, revision, position and the head', async () => {
    const file = await newFile();
    const first = openSqliteEventStore({ file });
    await first.append('a', [ev({ n: 1 }), ev({ n: 2 })], NO_STREAM);
    await first.append('b', [ev({ text: 'Ëndërr 🇦🇱 漢字' })], NO_STREAM);
    await first.append('a', [ev({ n: 3 })], 1);
    const before: RecordedEvent[] = await first.readAll();
    const head = await first.headPosition();
    await first.close();

    const second = openSqliteEventStore({ file });
    try {
      expect(await second.readAll()).toEqual(before);
      expect(await second.headPosition()).toBe(head);
      expect((await second.readStream('a')).map((e) => e.revision)).toEqual([0, 1, 2]);
      // Revisions and positions carry on from where the first process left them.
      await expect(second.append('a', [ev()], 1)).rejects.toBeInstanceOf(WrongExpectedVersionError);
      const next = await second.append('a', [ev({ n: 4 })], 2);
      expect(next.nextRevision).toBe(3);
      expect(next.position).toBeGreaterThan(head);
    } finally {
      await second.close();
    }
  });

  it('group commit: one conflicting append in a batch fails alone, the others commit', async () => {
    const file = await newFile();
    const store = openSqliteEventStore({ file });
    try {
      await store.append('contested', [ev()], NO_STREAM);
      // All issued in one turn of the event loop, so they share one transaction.
      const fine = Array.from({ length: 30 }, (_, i) =>
        store.append(`own-${i}`, [ev({ i }), ev({ i })], NO_STREAM),
      );
      const conflicting = store.append('contested', [ev({ bad: true })], 5);
      const alsoFine = store.append('contested', [ev({ good: true })], 0);
      const results = await Promise.allSettled([...fine, conflicting, alsoFine]);

      const rejected = results.filter((r) => r.status === 'rejected');
      expect(rejected).toHaveLength(1);
      const reason = (rejected[0] as PromiseRejectedResult).reason as WrongExpectedVersionError;
      expect(reason).toBeInstanceOf(WrongExpectedVersionError);
      expect({ stream: reason.stream, expected: reason.expected, actual: reason.actual }).toEqual({
        stream: 'contested',
        expected: 5,
        actual: 0,
      });
      const contested = await store.readStream('contested');
      expect(contested.map((e) => e.data)).toEqual([{}, { good: true }]);
      for (let i = 0; i < 30; i++) expect(await store.readStream(`own-${i}`)).toHaveLength(2);
      // The failed append left no hole in the global log either: every event is accounted for.
      const all = await store.readAll();
      expect(all).toHaveLength(1 + 60 + 1);
      expect(all.some((e) => e.data.bad === true)).toBe(false);
    } finally {
      await store.close();
    }
  });

  it('group commit: an append that breaks a constraint mid-batch rolls back alone', async () => {
    const file = await newFile();
    const store = openSqliteEventStore({ file });
    try {
      const dup = ev();
      const before = store.append('x', [ev()], NO_STREAM);
      // The same id twice in one append cannot be stored: only that append may fail.
      const broken = store.append('y', [ev(), dup, dup], ANY);
      const after = store.append('z', [ev()], NO_STREAM);
      const [b, k, a] = await Promise.allSettled([before, broken, after]);
      expect(b.status).toBe('fulfilled');
      expect(a.status).toBe('fulfilled');
      expect(k.status).toBe('rejected');
      expect(await store.readStream('y')).toEqual([]);
      expect((await store.readAll()).map((e) => e.stream)).toEqual(['x', 'z']);
    } finally {
      await store.close();
    }
  });

  it('re-appending known ids is idempotent only where the first write expectation held', async () => {
    const file = await newFile();
    const store = openSqliteEventStore({ file });
    try {
      const [e1, e2, e3] = [ev(), ev(), ev()];
      const first = await store.append('idem', [e1, e2], NO_STREAM);
      expect(await store.append('idem', [e1, e2], NO_STREAM)).toEqual(first);
      // A wrong expectation for the retried write is a conflict, as in EventStoreDB.
      await expect(store.append('idem', [e1, e2], 5)).rejects.toBeInstanceOf(WrongExpectedVersionError);
      // Partly known ids: a conflict, never a raw constraint error and never a duplicate row.
      await expect(store.append('idem', [e2, e3], ANY)).rejects.toBeInstanceOf(WrongExpectedVersionError);
      expect((await store.readStream('idem')).map((e) => e.id)).toEqual([e1.id, e2.id]);
    } finally {
      await store.close();
    }
  });

  it('closing the store ends its subscriptions quietly', async () => {
    const file = await newFile();
    const store = openSqliteEventStore({ file, pollIntervalMs: 20 });
    const errors: Error[] = [];
    store.subscribeToAll({ onEvent: () => {}, onError: (e) => errors.push(e) });
    await store.append('quiet', [ev()], NO_STREAM);
    await store.close();
    await new Promise((r) => setTimeout(r, 100));
    expect(errors).toEqual([]);
  });

  it('appends queued when close() is called are written, later ones are refused', async () => {
    const file = await newFile();
    const store = openSqliteEventStore({ file });
    const queued = store.append('q', [ev()], NO_STREAM);
    await store.close();
    await expect(queued).resolves.toEqual({ nextRevision: 0, position: 1 });
    await expect(store.append('q', [ev()], 0)).rejects.toThrow();
    const reopened = openSqliteEventStore({ file });
    try {
      expect(await reopened.readStream('q')).toHaveLength(1);
    } finally {
      await reopened.close();
    }
  });

  it('a deferrable append waits for the next awaited append and shares its commit, never resolving before it is written', async () => {
    const file = await newFile();
    const store = openSqliteEventStore({ file, maxDeferMs: 60_000 });
    try {
      let settled = false;
      const deferred = store.append('outcome', [ev({ n: 1 })], NO_STREAM, { deferrable: true });
      void deferred.then(() => {
        settled = true;
      });
      await new Promise((resolve) => setTimeout(resolve, 50));
      // Held: not written, not acknowledged.
      expect(settled).toBe(false);
      expect(await store.readStream('outcome')).toEqual([]);
      expect(store.stats.commits).toBe(0);
      // The next awaited append takes it along: one commit (one fsync) for both.
      await store.append('signin', [ev()], NO_STREAM);
      expect(await deferred).toEqual({ nextRevision: 0, position: 1 });
      expect(store.stats).toEqual({ commits: 1, appends: 2 });
      expect((await store.readAll()).map((e) => e.stream)).toEqual(['outcome', 'signin']);
    } finally {
      await store.close();
    }
  });

  it('a deferrable append with nothing to ride with is written after maxDeferMs, or at once on commitDeferred or close', async () => {
    const file = await newFile();
    const store = openSqliteEventStore({ file, maxDeferMs: 30 });
    try {
      const started = performance.now();
      await store.append('alone', [ev()], NO_STREAM, { deferrable: true });
      expect(performance.now() - started).toBeGreaterThanOrEqual(25);
      expect(await store.readStream('alone')).toHaveLength(1);
    } finally {
      await store.close();
    }
    const patient = openSqliteEventStore({ file, maxDeferMs: 60_000 });
    const now = patient.append('alone', [ev()], 0, { deferrable: true });
    patient.commitDeferred();
    await expect(now).resolves.toEqual({ nextRevision: 1, position: 2 });
    // A deferred append still queued when the store closes is written, as any queued append is.
    const atClose = patient.append('alone', [ev()], 1, { deferrable: true });
    await patient.close();
    await expect(atClose).resolves.toEqual({ nextRevision: 2, position: 3 });
    const reopened = openSqliteEventStore({ file });
    try {
      expect(await reopened.readStream('alone')).toHaveLength(3);
    } finally {
      await reopened.close();
    }
  });

  it('deferred appends keep their place in arrival order, and each is checked when written', async () => {
    const file = await newFile();
    const store = openSqliteEventStore({ file, maxDeferMs: 60_000 });
    try {
      const early = store.append('s', [ev({ early: true })], NO_STREAM, { deferrable: true });
      const stale = store.append('s', [ev({ stale: true })], 5, { deferrable: true });
      // Queued after the deferred ones: it is written after them, so it finds the stream taken.
      const late = store.append('s', [ev({ late: true })], NO_STREAM);
      await expect(late).rejects.toBeInstanceOf(WrongExpectedVersionError);
      await expect(stale).rejects.toBeInstanceOf(WrongExpectedVersionError);
      await expect(early).resolves.toEqual({ nextRevision: 0, position: 1 });
      expect((await store.readStream('s')).map((e) => e.data)).toEqual([{ early: true }]);
    } finally {
      await store.close();
    }
  });

  async function until(condition: () => boolean, what: string) {
    const deadline = Date.now() + 5_000;
    while (!condition()) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  }

  it('a live subscription takes what this process just committed from memory, identical to the file', async () => {
    const file = await newFile();
    const store = openSqliteEventStore({ file, pollIntervalMs: 60_000 });
    try {
      await store.append('before', [ev({ n: 0 })], NO_STREAM);
      const reads = vi.spyOn(store, 'readAll');
      const seen: RecordedEvent[] = [];
      const subscription = store.subscribeToAll({ onEvent: (e) => void seen.push(e) });
      await until(() => seen.length === 1, 'the catch-up');
      const catchUpReads = reads.mock.calls.length;
      let expected: number | typeof NO_STREAM = NO_STREAM;
      for (let n = 1; n <= 20; n++)
        expected = (await store.append('live', [ev({ n }), ev({ n, second: true })], expected)).nextRevision;
      await until(() => seen.length === 41, 'the live events');
      // Not one read of the file after the catch-up: every live event came from memory.
      expect(reads.mock.calls.length).toBe(catchUpReads);
      reads.mockRestore();
      expect(seen).toEqual(await store.readAll());
      await subscription.close();
    } finally {
      await store.close();
    }
  });

  it('a live subscription still gets, in order and once, what another writer adds between and after our appends', async () => {
    const file = await newFile();
    const ours = openSqliteEventStore({ file, pollIntervalMs: 20 });
    const theirs = openSqliteEventStore({ file });
    try {
      const seen: RecordedEvent[] = [];
      const subscription = ours.subscribeToAll({ onEvent: (e) => void seen.push(e) });
      const mine = { rev: NO_STREAM as number | typeof NO_STREAM };
      const other = { rev: NO_STREAM as number | typeof NO_STREAM };
      for (let n = 0; n < 10; n++) {
        mine.rev = (await ours.append('ours', [ev({ n })], mine.rev)).nextRevision;
        // Another connection writes between two of ours: a hole in what this process committed.
        if (n % 3 === 0) other.rev = (await theirs.append('theirs', [ev({ n })], other.rev)).nextRevision;
      }
      // And after our last append: only the poll can find this one.
      other.rev = (await theirs.append('theirs', [ev({ last: true })], other.rev)).nextRevision;
      const all = await ours.readAll();
      expect(all).toHaveLength(15);
      await until(() => seen.length >= all.length, 'every event');
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(seen).toEqual(all);
      await subscription.close();
    } finally {
      await theirs.close();
      await ours.close();
    }
  });

  it("another writer's event is found within the poll interval while this process keeps committing nothing new", async () => {
    const file = await newFile();
    const ours = openSqliteEventStore({ file, pollIntervalMs: 100 });
    const theirs = openSqliteEventStore({ file });
    try {
      await ours.append('ours', [ev()], NO_STREAM);
      const seen: RecordedEvent[] = [];
      const subscription = ours.subscribeToAll({ onEvent: (e) => void seen.push(e) });
      await until(() => seen.length === 1, 'the catch-up');
      await theirs.append('theirs', [ev({ x: true })], NO_STREAM);
      // Commits that write no row (each a conflict), more often than the poll interval.
      const deadline = Date.now() + 3_000;
      let conflicts = 0;
      while (!seen.some((e) => e.stream === 'theirs') && Date.now() < deadline) {
        await ours.append('ours', [ev()], NO_STREAM).catch(() => {
          conflicts += 1;
        });
        await new Promise((resolve) => setTimeout(resolve, 30));
      }
      expect(conflicts).toBeGreaterThan(0);
      expect(seen.map((e) => e.stream)).toEqual(['ours', 'theirs']);
      await subscription.close();
    } finally {
      await theirs.close();
      await ours.close();
    }
  });

  it('one append of 200,000 events is acknowledged as written (and is)', async () => {
    const file = await newFile();
    const store = openSqliteEventStore({ file, durable: false });
    try {
      const events = Array.from({ length: 200_000 }, (_, n) => ({
        id: randomUUID(),
        type: 'Bulk',
        data: { n },
        metadata: {},
      }));
      await expect(store.append('bulk', events, NO_STREAM)).resolves.toEqual({
        nextRevision: 199_999,
        position: 200_000,
      });
      expect(await store.headPosition()).toBe(200_000);
    } finally {
      await store.close();
    }
  }, 60_000);

  it('property: whatever the interleaving of our appends, another writer and idle time, a live subscription delivers exactly the log', async () => {
    const step = fc.oneof(
      fc.record({ kind: fc.constant('ours' as const), events: fc.integer({ min: 1, max: 3 }) }),
      fc.record({ kind: fc.constant('theirs' as const), events: fc.integer({ min: 1, max: 2 }) }),
      fc.record({ kind: fc.constant('idle' as const), ms: fc.integer({ min: 0, max: 15 }) }),
      fc.record({ kind: fc.constant('together' as const), events: fc.integer({ min: 1, max: 3 }) }),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 25 }), async (steps) => {
        const file = await newFile();
        const ours = openSqliteEventStore({ file, pollIntervalMs: 10 });
        const theirs = openSqliteEventStore({ file });
        const seen: RecordedEvent[] = [];
        const subscription = ours.subscribeToAll({ onEvent: (e) => void seen.push(e) });
        try {
          let n = 0;
          const batch = (k: number) => Array.from({ length: k }, () => ev({ n: n++ }));
          for (const s of steps) {
            if (s.kind === 'ours') await ours.append('ours', batch(s.events), ANY);
            else if (s.kind === 'theirs') await theirs.append('theirs', batch(s.events), ANY);
            else if (s.kind === 'idle') await new Promise((resolve) => setTimeout(resolve, s.ms));
            // Several of ours in one commit, racing one of theirs.
            else
              await Promise.all([
                ...Array.from({ length: s.events }, (_, i) => ours.append(`ours-${i}`, batch(1), ANY)),
                theirs.append('theirs', batch(1), ANY),
              ]);
          }
          const all = await ours.readAll();
          await until(() => seen.length >= all.length, 'every event');
          await new Promise((resolve) => setTimeout(resolve, 25));
          expect(seen).toEqual(all);
        } finally {
          await subscription.close();
          await theirs.close();
          await ours.close();
        }
      }),
      { numRuns: 25 },
    );
  });

  // BUG in sqlite.ts (reported to the lead): the batch runs in a DEFERRED transaction, so when another
  // process wrote after this one took its read snapshot, the first INSERT gets SQLITE_BUSY ("database is
  // locked") at once; busy_timeout cannot help a deferred reader that must upgrade. The design shares the
  // file between processes (subscriptions poll for their writes). Fix: run the batch with
  // `writeBatch.immediate(batch)` (BEGIN IMMEDIATE waits on busy_timeout). Then drop `.fails`.
  it('two processes appending to one file both get through (waits for the lock, no SQLITE_BUSY)', async () => {
    const file = await newFile();
    const store = openSqliteEventStore({ file });
    const childScript = join(dirname(fileURLToPath(import.meta.url)), 'crash-child.ts');
    const other = spawn(process.execPath, ['--import', 'tsx', childScript, file, 'other'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let otherAcks = 0;
    let otherErr = '';
    other.stdout.on('data', (chunk: Buffer) => {
      otherAcks += chunk.toString().split('\n').length - 1;
    });
    other.stderr.on('data', (chunk: Buffer) => {
      otherErr += chunk.toString();
    });
    const exited = new Promise<void>((resolve) => other.on('close', () => resolve()));
    try {
      // Start writing once the other process is writing too.
      const deadline = Date.now() + 10_000;
      while (otherAcks < 20 && other.exitCode === null && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      const errors: unknown[] = [];
      await Promise.all(
        Array.from({ length: 4 }, async (_, w) => {
          let expected: number | typeof NO_STREAM = NO_STREAM;
          for (let n = 0; n < 100; n++) {
            try {
              expected = (await store.append(`here-${w}`, [ev({ n })], expected)).nextRevision;
            } catch (error) {
              errors.push(error);
              return;
            }
          }
        }),
      );
      other.kill('SIGKILL');
      await exited;
      expect(otherErr).not.toMatch(/database is locked|SQLITE_BUSY/);
      expect(errors).toEqual([]);
    } finally {
      other.kill('SIGKILL');
      await store.close();
    }
  });
});

describe('SQLite event store: large reads on a reader thread', () => {
  const removals: Array<() => Promise<void>> = [];
  afterEach(async () => {
    for (const remove of removals.splice(0)) await remove();
  });

  /** A store holding `count` events over a few streams, with nested, unicode and null data. */
  async function filled(count: number): Promise<{ file: string; store: SqliteEventStore }> {
    const { file, remove } = await tempFile();
    removals.push(remove);
    const store = openSqliteEventStore({ file, durable: false });
    const events = Array.from({ length: count }, (_, n) =>
      ev({ n, text: n % 7 === 0 ? 'Ëndërr 🇦🇱' : null, nested: { list: [n, { deep: n % 3 === 0 }] } }),
    );
    for (let i = 0; i < count; i += 500) await store.append(`s-${i % 3}`, events.slice(i, i + 500), ANY);
    return { file, store };
  }

  /** Every event, in batches of `size` (the first full one starts the thread, the rest go through it). */
  async function readInBatches(store: EventStore, size: number): Promise<RecordedEvent[]> {
    const all: RecordedEvent[] = [];
    for (let after = 0; ; ) {
      const batch = await store.readAll({ after, maxCount: size });
      if (batch.length === 0) return all;
      all.push(...batch);
      after = batch[batch.length - 1]!.position;
    }
  }

  it('gives exactly the events a read on the caller thread gives, and sees appends as soon as they are acknowledged', async () => {
    const { store } = await filled(3_500);
    try {
      const threaded = await readInBatches(store, 1_000);
      // maxCount -1 is below the threshold: read on this thread.
      const here = await store.readAll();
      expect(threaded).toHaveLength(3_500);
      expect(threaded).toEqual(here);
      expect(threaded[0]!.recordedAt).toBeInstanceOf(Date);
      const { position } = await store.append('late', [ev({ late: true })], NO_STREAM);
      const next = await store.readAll({ after: here[here.length - 1]!.position, maxCount: 1_000 });
      expect(next.map((e) => [e.position, e.data])).toEqual([[position, { late: true }]]);
    } finally {
      await store.close();
    }
  });

  it('a batch read ahead never hides an append made after it (an empty or short one is read again)', async () => {
    const { store } = await filled(3_000);
    try {
      let after = 0;
      for (let i = 0; i < 3; i++) {
        const batch = await store.readAll({ after, maxCount: 1_000 });
        expect(batch).toHaveLength(1_000);
        after = batch[batch.length - 1]!.position;
      }
      // The thread has read past the third batch by now and found nothing.
      const { position } = await store.append('late', [ev({ late: true })], NO_STREAM);
      const next = await store.readAll({ after, maxCount: 1_000 });
      expect(next.map((e) => e.position)).toEqual([position]);
    } finally {
      await store.close();
    }
  });

  it('a stored event that is not JSON fails the read as it would on the caller thread', async () => {
    const { file, store } = await filled(2_500);
    try {
      await readInBatches(store, 1_000);
      const writer = new Database(file);
      writer.prepare("UPDATE events SET data = '{broken' WHERE position = 1800").run();
      writer.close();
      await expect(store.readAll({ after: 1_000, maxCount: 1_000 })).rejects.toBeInstanceOf(SyntaxError);
      await expect(store.readAll({ after: 1_000, maxCount: 999 })).rejects.toBeInstanceOf(SyntaxError);
    } finally {
      await store.close();
    }
  });

  it('closing the store ends the thread: later reads are refused and the process is not held', async () => {
    const { store } = await filled(2_000);
    await readInBatches(store, 1_000);
    await store.close();
    await expect(store.readAll({ after: 0, maxCount: 1_000 })).rejects.toThrow();
  });

  it('a reader thread that cannot start answers on the caller thread instead', async () => {
    const { file, store } = await filled(1_500);
    try {
      const broken = new SqliteReadThread(
        file,
        (row) => ({ position: row[0] }) as RecordedEvent,
        join(tmpdir(), 'no-such-worker.mjs'),
      );
      const here = () => [{ position: 42 } as RecordedEvent];
      await expect(broken.read(0, 1_000, here)).resolves.toEqual(here());
      // Once gone, it stays on the caller thread.
      await expect(broken.read(0, 1_000, here)).resolves.toEqual(here());
      await broken.close();
    } finally {
      await store.close();
    }
  });
});
