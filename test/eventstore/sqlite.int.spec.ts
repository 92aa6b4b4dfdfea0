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
import { afterEach, describe, expect, it } from 'vitest';
import {
  ANY,
  type EventToAppend,
  NO_STREAM,
  type RecordedEvent,
  WrongExpectedVersionError,
} from '../../src/infra/eventstore/port.js';
import { openSqliteEventStore } from '../../src/infra/eventstore/sqlite.js';
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
