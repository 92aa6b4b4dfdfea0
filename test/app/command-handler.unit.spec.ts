import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CommandConflictError, CommandHandler } from '../../src/app/command-handler.js';
import { GENESIS_HASH, linkHash } from '../../src/app/hash-chain.js';
import type { StreamModel } from '../../src/domain/shared/decider.js';
import type { DomainEvent } from '../../src/domain/shared/events.js';
import {
  type EventStore,
  type EventToAppend,
  type ExpectedRevision,
  WrongExpectedVersionError,
} from '../../src/infra/eventstore/port.js';
import { openSqliteEventStore, type SqliteEventStore } from '../../src/infra/eventstore/sqlite.js';

type Counted = DomainEvent<'Counted', { by: number; personal?: { note: string } }>;
const counter: StreamModel<{ total: number }, Counted> = {
  name: 'counter',
  initialState: () => ({ total: 0 }),
  evolve: (state, event) => ({ total: state.total + event.data.by }),
};
const meta = { actor: { kind: 'SYSTEM' as const }, correlationId: 'c-1' };
const add = (by: number) => () => ({ events: [{ type: 'Counted' as const, data: { by } }], result: by });
/** A decider that notes the total it was shown, then adds `by`. */
const noting = (seen: number[], by: number) => (view: { state: { total: number } }) => {
  seen.push(view.state.total);
  return add(by)();
};
/** The expected revision of every append made to `store` from now on. */
function expectedRevisions(store: SqliteEventStore): ExpectedRevision[] {
  const expected: ExpectedRevision[] = [];
  const append = store.append.bind(store);
  store.append = (stream, events, revision, options) => {
    expected.push(revision);
    return append(stream, events, revision, options);
  };
  return expected;
}

describe('CommandHandler', () => {
  let dir: string;
  let store: SqliteEventStore;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'cmd-'));
    store = openSqliteEventStore({ file: join(dir, 'events.sqlite'), durable: false });
  });
  afterEach(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('folds the stream, decides, appends with the exact revision and links the hash chain', async () => {
    const handler = new CommandHandler(store);
    await handler.execute('counter-1', counter, add(2), meta);
    const outcome = await handler.execute(
      'counter-1',
      counter,
      (view) => ({
        events: [{ type: 'Counted' as const, data: { by: 3, personal: { note: 'Ë ç' } } }],
        result: view,
      }),
      meta,
    );
    expect(outcome.result).toEqual({ state: { total: 2 }, revision: 0 });
    const events = await store.readStream('counter-1');
    expect(events.map((e) => e.revision)).toEqual([0, 1]);
    expect(events[0]!.metadata.prevHash).toBe(GENESIS_HASH);
    expect(events[1]!.metadata.prevHash).toBe(events[0]!.metadata.hash);
    for (const e of events) {
      expect(e.metadata.actor).toEqual(meta.actor);
      expect(e.metadata.correlationId).toBe('c-1');
      expect(
        linkHash({
          version: 2,
          id: e.id,
          stream: e.stream,
          revision: e.revision,
          type: e.type,
          data: e.data,
          prevHash: e.metadata.prevHash as string,
          personalDigest: (e.metadata.personalDigest as string | null) ?? null,
          actor: e.metadata.actor,
          correlationId: e.metadata.correlationId,
          ip: e.metadata.ip,
        }),
      ).toBe(e.metadata.hash);
    }
    expect(events[1]!.metadata.personalDigest).toMatch(/^[0-9a-f]{64}$/);
  });

  it('a command behind a deferrable append on its stream does not wait out the deferral', async () => {
    const patient = openSqliteEventStore({ file: join(dir, 'patient.sqlite'), maxDeferMs: 60_000 });
    try {
      const handler = new CommandHandler(patient);
      const deferred = handler.execute('counter-d', counter, add(1), meta, { deferrable: true });
      await new Promise((resolve) => setTimeout(resolve, 20));
      expect(await patient.readStream('counter-d')).toEqual([]);
      // Queued behind the held append: it is written at once, then this one decides on it.
      const next = await handler.execute(
        'counter-d',
        counter,
        (view) => ({ events: [], result: view }),
        meta,
      );
      expect(next.result).toEqual({ state: { total: 1 }, revision: 0 });
      expect((await deferred).position).toBe(1);
    } finally {
      await patient.close();
    }
  });

  it('a deferrable append is not deferred when a command of its stream already waits behind it', async () => {
    const patient = openSqliteEventStore({ file: join(dir, 'patient2.sqlite'), maxDeferMs: 60_000 });
    try {
      const handler = new CommandHandler(patient);
      let release!: () => void;
      const gate = new Promise<void>((resolve) => {
        release = resolve;
      });
      const deferrable = handler.execute(
        'counter-w',
        counter,
        async () => {
          await gate;
          return { events: [{ type: 'Counted' as const, data: { by: 1 } }], result: 1 };
        },
        meta,
        { deferrable: true },
      );
      // Queued while the deferrable command is still deciding, before its append exists.
      const waiting = handler.execute('counter-w', counter, add(2), meta);
      release();
      // Deferred, both would wait out the minute (and this test its timeout).
      await Promise.all([deferrable, waiting]);
      expect((await patient.readStream('counter-w')).map((e) => e.data.by)).toEqual([1, 2]);
    } finally {
      await patient.close();
    }
  });

  it('appends nothing when the decider refuses', async () => {
    const handler = new CommandHandler(store);
    await expect(
      handler.execute(
        'counter-2',
        counter,
        () => {
          throw new Error('refused');
        },
        meta,
      ),
    ).rejects.toThrow('refused');
    expect(await store.readStream('counter-2')).toEqual([]);
  });

  it('serialises 50 racing commands of one stream without a single conflict', async () => {
    const handler = new CommandHandler(store);
    let attempts = 0;
    await Promise.all(
      Array.from({ length: 50 }, () =>
        handler.execute(
          'counter-3',
          counter,
          (_view, attempt) => {
            attempts += attempt;
            return add(1)();
          },
          meta,
        ),
      ),
    );
    expect((await handler.load('counter-3', counter)).state.total).toBe(50);
    expect(attempts).toBe(50);
  });

  it('decides again on the new state when another instance wrote first', async () => {
    const here = new CommandHandler(store);
    const elsewhere = new CommandHandler(store);
    await here.execute('counter-4', counter, add(1), meta); // cache the fold at revision 0
    let seen: number[] = [];
    let interfered = false;
    await here.execute(
      'counter-4',
      counter,
      async (view) => {
        seen = [...seen, view.state.total];
        if (!interfered) {
          interfered = true;
          await elsewhere.execute('counter-4', counter, add(10), meta);
        }
        return add(100)();
      },
      meta,
    );
    expect(seen).toEqual([1, 11]);
    expect((await here.load('counter-4', counter)).state.total).toBe(111);
  });

  it('decides on its cached fold without reading the stream when this instance wrote it last', async () => {
    const handler = new CommandHandler(store);
    await handler.execute('counter-6', counter, add(1), meta);
    const reads: string[] = [];
    const readStream = store.readStream.bind(store);
    store.readStream = (stream, options) => {
      reads.push(stream);
      return readStream(stream, options);
    };
    const outcome = await handler.execute('counter-6', counter, add(2), meta);
    expect(reads).toEqual([]);
    expect(outcome.state).toEqual({ total: 3 });
    expect((await readStream('counter-6')).map((e) => e.data.by)).toEqual([1, 2]);
  });

  it('reads the stream first when another model of this instance appended to it since', async () => {
    const doubled: StreamModel<{ total: number }, Counted> = {
      name: 'doubled',
      initialState: () => ({ total: 0 }),
      evolve: (state, event) => ({ total: state.total + 2 * event.data.by }),
    };
    const handler = new CommandHandler(store);
    await handler.execute('counter-7', doubled, add(1), meta); // doubled's fold cached at revision 0
    await handler.execute('counter-7', counter, add(5), meta); // revision 1, through the other model
    const appends = expectedRevisions(store);
    const seen: number[] = [];
    await handler.execute('counter-7', doubled, noting(seen, 1), meta);
    expect(seen).toEqual([12]);
    expect(appends).toEqual([1]); // no conflict spent on the stale fold
  });

  it('answers a decision that appends nothing only from the stream as it is now', async () => {
    const here = new CommandHandler(store);
    const elsewhere = new CommandHandler(store);
    await here.execute('counter-8', counter, add(1), meta); // cached at revision 0
    await elsewhere.execute('counter-8', counter, add(10), meta); // another instance: revision 1
    const seen: number[] = [];
    const outcome = await here.execute(
      'counter-8',
      counter,
      (view) => {
        seen.push(view.state.total);
        // Refuses (appends nothing) unless the total is past 5: the cached fold says 1, the stream 11.
        return view.state.total > 5 ? { events: [], result: 'enough' } : { events: [], result: 'not yet' };
      },
      meta,
    );
    expect(seen).toEqual([1, 11]);
    expect(outcome.result).toBe('enough');
    expect(outcome.state).toEqual({ total: 11 });
  });

  it('a decision on a cached fold that another instance has since passed is refused, then taken on the stream', async () => {
    const here = new CommandHandler(store);
    const elsewhere = new CommandHandler(store);
    await here.execute('counter-9', counter, add(1), meta); // cached at revision 0
    await elsewhere.execute('counter-9', counter, add(10), meta); // revision 1, unseen here
    const seen: number[] = [];
    const outcome = await here.execute('counter-9', counter, noting(seen, 100), meta);
    expect(seen).toEqual([1, 11]);
    expect(outcome.state).toEqual({ total: 111 });
    expect((await store.readStream('counter-9')).map((e) => e.data.by)).toEqual([1, 10, 100]);
  });

  it('a read that finishes after a command appended does not put the cached fold back', async () => {
    let hold: (() => void) | undefined;
    const slow = {
      append: (stream: string, events: EventToAppend[], expected: ExpectedRevision) =>
        store.append(stream, events, expected),
      readStream: async (stream: string, options?: { fromRevision?: number }) => {
        const events = await store.readStream(stream, options);
        if (hold === undefined) return events;
        // The read has its answer but hands it over only later, as a network store may.
        await new Promise<void>((resolve) => {
          hold = resolve;
        });
        return events;
      },
    } as unknown as EventStore;
    const handler = new CommandHandler(slow);
    await handler.execute('counter-10', counter, add(1), meta); // cached at revision 0
    hold = () => {};
    const reading = handler.load('counter-10', counter); // reads revision 0's world, answers late
    await new Promise((resolve) => setTimeout(resolve, 5));
    const release = hold;
    hold = undefined;
    await handler.execute('counter-10', counter, add(2), meta); // revision 1, cached
    release();
    expect((await reading).revision).toBe(0);
    const appends = expectedRevisions(store);
    const outcome = await handler.execute('counter-10', counter, add(4), meta);
    expect(outcome.state).toEqual({ total: 7 });
    expect(appends).toEqual([1]); // decided on revision 1 at once: no conflict in one instance
  });

  it('a stream behind the cached fold (a restore from a backup) is folded again from its start', async () => {
    let inner: EventStore = store;
    const swappable = {
      readStream: (stream: string, options?: { fromRevision?: number }) => inner.readStream(stream, options),
      append: (stream: string, events: EventToAppend[], expected: ExpectedRevision) =>
        inner.append(stream, events, expected),
    } as unknown as EventStore;
    const handler = new CommandHandler(swappable);
    await handler.execute('counter-11', counter, add(1), meta);
    await handler.execute('counter-11', counter, add(2), meta); // cached at revision 1
    const restored = openSqliteEventStore({ file: join(dir, 'restored.sqlite'), durable: false });
    try {
      await new CommandHandler(restored).execute('counter-11', counter, add(1), meta); // only revision 0
      inner = restored;
      const seen: number[] = [];
      await handler.execute('counter-11', counter, noting(seen, 5), meta);
      expect(seen).toEqual([3, 1]);
      expect((await restored.readStream('counter-11')).map((e) => e.data.by)).toEqual([1, 5]);
    } finally {
      await restored.close();
    }
  });

  it('gives up with a clear error after a bounded number of conflicts', async () => {
    const conflicting = {
      readStream: (s: string) => store.readStream(s),
      append: async (stream: string, _events: EventToAppend[], expected: ExpectedRevision) => {
        throw new WrongExpectedVersionError(stream, expected, 7);
      },
    } as unknown as EventStore;
    const handler = new CommandHandler(conflicting, { maxAttempts: 3 });
    let calls = 0;
    await expect(
      handler.execute(
        'counter-5',
        counter,
        () => {
          calls += 1;
          return add(1)();
        },
        meta,
      ),
    ).rejects.toBeInstanceOf(CommandConflictError);
    expect(calls).toBe(3);
  });

  it('tells of each refused append: retried while attempts remain, exhausted after the last', async () => {
    const told: string[] = [];
    const handler = new CommandHandler(store, { maxAttempts: 3, onConflict: (o) => told.push(o) });
    const other = new CommandHandler(store);
    await handler.execute('counter-12', counter, add(1), meta);
    await other.execute('counter-12', counter, add(1), meta);
    await handler.execute('counter-12', counter, add(1), meta); // stale cache: refused once
    expect(told).toEqual(['retried']);
    told.length = 0;
    const underEveryAttempt = async () => {
      await other.execute('counter-12', counter, add(1), meta);
      return add(1)();
    };
    await expect(handler.execute('counter-12', counter, underEveryAttempt, meta)).rejects.toBeInstanceOf(
      CommandConflictError,
    );
    expect(told).toEqual(['retried', 'retried', 'exhausted']);
  });
});
