/**
 * The event store conformance suite: one `describe` run unchanged against every adapter.
 *
 * Every test uses fresh stream names (a per-run prefix and a counter) and only looks at its own streams,
 * so the suite also runs against a shared EventStoreDB/KurrentDB server that holds other data. Where a
 * check needs the whole log (readAll from the start), it filters the log down to the test's streams.
 *
 * The factory is called before each test; `cleanup` must close the store and remove what it created.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  ANY,
  type AppendResult,
  type EventStore,
  type EventToAppend,
  type ExpectedRevision,
  type JsonObject,
  NO_STREAM,
  type RecordedEvent,
  STREAM_EXISTS,
  WrongExpectedVersionError,
} from '../../src/infra/eventstore/port.js';

export type EventStoreFactory = () => Promise<{ store: EventStore; cleanup(): Promise<void> }>;

const runId = randomUUID().slice(0, 8);
let streamCounter = 0;

/** A stream name no other test (nor an earlier run against the same server) has used. */
function newStream(label: string): string {
  streamCounter += 1;
  return `conformance_${label}-${runId}-${streamCounter}`;
}

function ev(data: JsonObject = {}, type = 'ConformanceTested', metadata: JsonObject = {}): EventToAppend {
  return { id: randomUUID(), type, data, metadata };
}

function evs(n: number, make: (i: number) => JsonObject = (i) => ({ i })): EventToAppend[] {
  return Array.from({ length: n }, (_, i) => ev(make(i)));
}

async function expectWrongVersion(
  promise: Promise<unknown>,
  stream: string,
  expected: ExpectedRevision,
  actual: number | typeof NO_STREAM,
): Promise<WrongExpectedVersionError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error, 'the append should have been refused').toBeInstanceOf(WrongExpectedVersionError);
  const wrong = error as WrongExpectedVersionError;
  expect(wrong.code).toBe('WRONG_EXPECTED_VERSION');
  expect({ stream: wrong.stream, expected: wrong.expected, actual: wrong.actual }).toEqual({
    stream,
    expected,
    actual,
  });
  return wrong;
}

async function waitFor(condition: () => boolean, what: string, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function expectStrictlyIncreasing(positions: number[]): void {
  for (let i = 1; i < positions.length; i++) {
    if (!(positions[i]! > positions[i - 1]!)) {
      throw new Error(`positions not strictly increasing at ${i}: ${positions[i - 1]} then ${positions[i]}`);
    }
  }
}

/** Strips what the store adds, to compare against what was appended. */
function written(e: RecordedEvent): EventToAppend {
  return { id: e.id, type: e.type, data: e.data, metadata: e.metadata };
}

export function eventStoreConformance(name: string, factory: EventStoreFactory): void {
  describe(`EventStore conformance: ${name}`, () => {
    let store: EventStore;
    let cleanup: () => Promise<void>;

    beforeEach(async () => {
      ({ store, cleanup } = await factory());
    });

    afterEach(async () => {
      await cleanup();
    });

    /** Reads the whole log (or from `after`) and keeps only events of the given streams. */
    async function readAllOf(streams: string[], after?: number): Promise<RecordedEvent[]> {
      const wanted = new Set(streams);
      const all = await store.readAll(after === undefined ? {} : { after });
      return all.filter((e) => wanted.has(e.stream));
    }

    describe('append and expected revision', () => {
      it('NO_STREAM creates the stream; the first event has revision 0 and round-trips', async () => {
        const s = newStream('nostream');
        const e = ev({ amount: 3, nested: { ok: true, list: [1, 'two', null] } }, 'AccountRegistered', {
          correlationId: 'c-1',
        });
        const before = Date.now();
        const result = await store.append(s, [e], NO_STREAM);
        expect(result.nextRevision).toBe(0);
        expect(Number.isSafeInteger(result.position)).toBe(true);
        expect(result.position).toBeGreaterThanOrEqual(0);

        const read = await store.readStream(s);
        expect(read).toHaveLength(1);
        const r = read[0]!;
        expect(written(r)).toEqual(e);
        expect(r.stream).toBe(s);
        expect(r.revision).toBe(0);
        expect(r.position).toBe(result.position);
        expect(r.recordedAt).toBeInstanceOf(Date);
        // Server clocks may differ a little from ours; a day's slack still catches a missing/zero date.
        expect(Math.abs(r.recordedAt.getTime() - before)).toBeLessThan(86_400_000);
      });

      it('NO_STREAM is refused when the stream exists, carrying stream/expected/actual', async () => {
        const s = newStream('nostream-conflict');
        await store.append(s, [ev()], NO_STREAM);
        await expectWrongVersion(store.append(s, [ev()], NO_STREAM), s, NO_STREAM, 0);
        expect(await store.readStream(s)).toHaveLength(1);
      });

      it('STREAM_EXISTS appends to an existing stream and is refused on a missing one', async () => {
        const missing = newStream('exists-missing');
        await expectWrongVersion(
          store.append(missing, [ev()], STREAM_EXISTS),
          missing,
          STREAM_EXISTS,
          NO_STREAM,
        );
        expect(await store.readStream(missing)).toEqual([]);

        const s = newStream('exists');
        await store.append(s, evs(2), NO_STREAM);
        const result = await store.append(s, [ev()], STREAM_EXISTS);
        expect(result.nextRevision).toBe(2);
        expect((await store.readStream(s)).map((e) => e.revision)).toEqual([0, 1, 2]);
      });

      it('ANY appends whether or not the stream exists', async () => {
        const s = newStream('any');
        expect((await store.append(s, [ev()], ANY)).nextRevision).toBe(0);
        expect((await store.append(s, evs(2), ANY)).nextRevision).toBe(2);
        expect((await store.readStream(s)).map((e) => e.revision)).toEqual([0, 1, 2]);
      });

      it('an exact revision appends only when it is the revision of the last event', async () => {
        const s = newStream('exact');
        await expectWrongVersion(store.append(s, [ev()], 0), s, 0, NO_STREAM);
        expect((await store.append(s, evs(3), NO_STREAM)).nextRevision).toBe(2);
        await expectWrongVersion(store.append(s, [ev()], 1), s, 1, 2);
        await expectWrongVersion(store.append(s, [ev()], 3), s, 3, 2);
        expect((await store.append(s, [ev()], 2)).nextRevision).toBe(3);
        // The revision just used is stale now.
        await expectWrongVersion(store.append(s, [ev()], 2), s, 2, 3);
        expect((await store.readStream(s)).map((e) => e.revision)).toEqual([0, 1, 2, 3]);
      });

      it('a refused multi-event append writes none of its events', async () => {
        const s = newStream('refused-batch');
        await store.append(s, [ev()], NO_STREAM);
        const batch = evs(5);
        await expectWrongVersion(store.append(s, batch, 7), s, 7, 0);
        const ids = new Set((await store.readAll()).map((e) => e.id));
        for (const e of batch) expect(ids.has(e.id)).toBe(false);
        expect(await store.readStream(s)).toHaveLength(1);
      });

      it('revisions are 0-based and dense, positions strictly increasing, the result names the last event', async () => {
        const s = newStream('batch');
        const first = await store.append(s, evs(4), NO_STREAM);
        const second = await store.append(
          s,
          evs(3, (i) => ({ i: i + 4 })),
          3,
        );
        expect(first.nextRevision).toBe(3);
        expect(second.nextRevision).toBe(6);
        const read = await store.readStream(s);
        expect(read.map((e) => e.revision)).toEqual([0, 1, 2, 3, 4, 5, 6]);
        expect(read.map((e) => e.data.i)).toEqual([0, 1, 2, 3, 4, 5, 6]);
        expectStrictlyIncreasing(read.map((e) => e.position));
        expect(read[3]!.position).toBe(first.position);
        expect(read[6]!.position).toBe(second.position);
        expect(second.position).toBeGreaterThan(first.position);
      });
    });

    describe('idempotency', () => {
      const modes: Array<[string, (s: string) => Promise<ExpectedRevision>]> = [
        ['NO_STREAM', async () => NO_STREAM],
        [
          'an exact revision',
          async (s) => {
            await store.append(s, evs(2), NO_STREAM);
            return 1;
          },
        ],
        [
          'ANY',
          async (s) => {
            await store.append(s, [ev()], NO_STREAM);
            return ANY;
          },
        ],
      ];
      for (const [label, prepare] of modes) {
        it(`re-appending the same event ids with ${label} gives the same result and no duplicate`, async () => {
          const s = newStream('idempotent');
          const expected = await prepare(s);
          const before = (await store.readStream(s)).length;
          const batch = evs(3);
          const first = await store.append(s, batch, expected);
          const again = await store.append(
            s,
            batch.map((e) => ({ ...e })),
            expected,
          );
          expect(again).toEqual(first);
          const read = await store.readStream(s);
          expect(read).toHaveLength(before + 3);
          expect(new Set(read.map((e) => e.id)).size).toBe(read.length);
          // No copy sneaked into the global log either.
          const inLog = (await readAllOf([s])).map((e) => e.id);
          expect(inLog).toEqual(read.map((e) => e.id));
        });
      }
    });

    describe('concurrency', () => {
      it('of 50 appenders expecting the same revision exactly one wins, round after round', async () => {
        const s = newStream('race');
        const rounds: ExpectedRevision[] = [NO_STREAM, 0, 1, 2, 3];
        const winners: string[] = [];
        for (const expected of rounds) {
          const attempts = Array.from({ length: 50 }, () => ev());
          const outcomes = await Promise.allSettled(attempts.map((e) => store.append(s, [e], expected)));
          const won = outcomes.flatMap((o, i) => (o.status === 'fulfilled' ? [{ result: o.value, i }] : []));
          expect(won, `exactly one winner expecting ${String(expected)}`).toHaveLength(1);
          const revision = expected === NO_STREAM ? 0 : (expected as number) + 1;
          expect(won[0]!.result.nextRevision).toBe(revision);
          winners.push(attempts[won[0]!.i]!.id);
          for (const o of outcomes) {
            if (o.status === 'fulfilled') continue;
            expect(o.reason).toBeInstanceOf(WrongExpectedVersionError);
            const wrong = o.reason as WrongExpectedVersionError;
            expect({ stream: wrong.stream, expected: wrong.expected, actual: wrong.actual }).toEqual({
              stream: s,
              expected,
              actual: revision,
            });
          }
        }
        const read = await store.readStream(s);
        expect(read.map((e) => e.id)).toEqual(winners);
        expect(read.map((e) => e.revision)).toEqual([0, 1, 2, 3, 4]);
      });

      it('50 appenders retrying on conflict all land: revisions 0..49, no gap, each event once', async () => {
        const s = newStream('retry');
        const writers = Array.from({ length: 50 }, (_, w) => ev({ writer: w }));
        let conflicts = 0;
        await Promise.all(
          writers.map(async (e) => {
            let expected: ExpectedRevision = NO_STREAM;
            for (let attempt = 0; attempt < 500; attempt++) {
              try {
                return await store.append(s, [e], expected);
              } catch (error) {
                if (!(error instanceof WrongExpectedVersionError)) throw error;
                conflicts += 1;
                // The error says where the stream is: retry right there, as a command handler would.
                expected = error.actual;
              }
            }
            throw new Error('writer never got through');
          }),
        );
        const read = await store.readStream(s);
        expect(read.map((e) => e.revision)).toEqual(Array.from({ length: 50 }, (_, i) => i));
        expect(read.map((e) => e.data.writer).sort((a, b) => (a as number) - (b as number))).toEqual(
          Array.from({ length: 50 }, (_, i) => i),
        );
        expectStrictlyIncreasing(read.map((e) => e.position));
        // With 50 writers starting together, someone must have lost at least once.
        expect(conflicts).toBeGreaterThan(0);
      });

      it('concurrent appends to different streams all succeed with distinct increasing positions', async () => {
        const streams = Array.from({ length: 20 }, () => newStream('parallel'));
        const results = await Promise.all(
          streams.map((s, i) => store.append(s, evs((i % 3) + 1), NO_STREAM)),
        );
        expect(new Set(results.map((r) => r.position)).size).toBe(streams.length);
        const log = await readAllOf(streams);
        expect(log).toHaveLength(streams.reduce((n, _, i) => n + (i % 3) + 1, 0));
        expectStrictlyIncreasing(log.map((e) => e.position));
      });
    });

    describe('global order', () => {
      it('positions strictly increase across streams in append order, and readAll follows it', async () => {
        const a = newStream('order-a');
        const b = newStream('order-b');
        const c = newStream('order-c');
        const appended: EventToAppend[] = [];
        const results: AppendResult[] = [];
        const plan: Array<[string, number]> = [
          [a, 1],
          [b, 2],
          [a, 1],
          [c, 3],
          [b, 1],
          [a, 2],
        ];
        const revisions = new Map<string, number>();
        for (const [s, n] of plan) {
          const batch = evs(n, () => ({ s }));
          const prev = revisions.get(s);
          const result = await store.append(s, batch, prev === undefined ? NO_STREAM : prev);
          revisions.set(s, result.nextRevision);
          appended.push(...batch);
          results.push(result);
        }
        expectStrictlyIncreasing(results.map((r) => r.position));
        const log = await readAllOf([a, b, c]);
        expect(log.map((e) => e.id)).toEqual(appended.map((e) => e.id));
        expectStrictlyIncreasing(log.map((e) => e.position));
        // Each event in the log is the same record readStream returns.
        for (const s of [a, b, c]) {
          expect(await store.readStream(s)).toEqual(log.filter((e) => e.stream === s));
        }
      });

      it('the whole log is in strictly increasing position order with unique ids', async () => {
        const s = newStream('whole');
        await store.append(s, evs(5), NO_STREAM);
        const all = await store.readAll();
        expect(all.length).toBeGreaterThanOrEqual(5);
        expectStrictlyIncreasing(all.map((e) => e.position));
        expect(new Set(all.map((e) => `${e.stream}\u0000${e.id}`)).size).toBe(all.length);
      });
    });

    describe('reading', () => {
      it('readStream honours fromRevision and maxCount', async () => {
        const s = newStream('read');
        await store.append(s, evs(10), NO_STREAM);
        const revs = async (options: { fromRevision?: number; maxCount?: number }) =>
          (await store.readStream(s, options)).map((e) => e.revision);
        expect(await revs({})).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
        expect(await revs({ fromRevision: 3, maxCount: 4 })).toEqual([3, 4, 5, 6]);
        expect(await revs({ fromRevision: 8 })).toEqual([8, 9]);
        expect(await revs({ fromRevision: 9, maxCount: 5 })).toEqual([9]);
        expect(await revs({ fromRevision: 10 })).toEqual([]);
        expect(await revs({ maxCount: 2 })).toEqual([0, 1]);
        expect((await store.readStream(s, { fromRevision: 4, maxCount: 1 }))[0]!.data).toEqual({ i: 4 });
      });

      it('readStream of a missing stream is an empty array', async () => {
        expect(await store.readStream(newStream('missing'))).toEqual([]);
        expect(await store.readStream(newStream('missing'), { fromRevision: 5, maxCount: 3 })).toEqual([]);
      });

      it('readAll honours after (exclusive) and maxCount', async () => {
        const s = newStream('readall');
        const batch = evs(10);
        // Single appends, so the test does not lean on how a batch is laid out in the log.
        for (const [i, e] of batch.entries()) await store.append(s, [e], i === 0 ? NO_STREAM : i - 1);
        const mine = await readAllOf([s]);
        expect(mine.map((e) => e.id)).toEqual(batch.map((e) => e.id));
        const pos = mine.map((e) => e.position);

        const after3 = await store.readAll({ after: pos[3] });
        expect(after3.every((e) => e.position > pos[3]!)).toBe(true);
        expect(after3.filter((e) => e.stream === s).map((e) => e.data.i)).toEqual([4, 5, 6, 7, 8, 9]);
        expectStrictlyIncreasing(after3.map((e) => e.position));

        // The log only grows at its end, so a page is a prefix of the longer read even if another
        // client (a shared server) wrote in between.
        const two = await store.readAll({ after: pos[3], maxCount: 2 });
        expect(two).toEqual(after3.slice(0, 2));
        expect(two).toHaveLength(2);

        expect((await store.readAll({ after: pos[9] })).filter((e) => e.stream === s)).toEqual([]);
        const firstThree = await store.readAll({ maxCount: 3 });
        expect(firstThree).toHaveLength(3);
        expectStrictlyIncreasing(firstThree.map((e) => e.position));
        const [next] = await store.readAll({ after: pos[8], maxCount: 1 });
        expect(next!.position).toBeGreaterThan(pos[8]!);
        expect(next!.position).toBeLessThanOrEqual(pos[9]!);
      });

      it('readAll after a position inside a multi-event append resumes at the next event of that append', async () => {
        const s = newStream('readall-batch');
        await store.append(s, evs(6), NO_STREAM);
        const mine = await readAllOf([s]);
        const resumed = await store.readAll({ after: mine[2]!.position });
        expect(resumed.filter((e) => e.stream === s).map((e) => e.data.i)).toEqual([3, 4, 5]);
        expect(resumed[0]!.position).toBeGreaterThan(mine[2]!.position);
      });
    });

    describe('subscribeToAll', () => {
      /** Writers appending to their own streams until stopped; a mix of single and multi-event appends. */
      function startWriters(count: number, label: string) {
        const streams = Array.from({ length: count }, () => newStream(label));
        let stopped = false;
        let appends = 0;
        const done = Promise.all(
          streams.map(async (s, w) => {
            let revision: ExpectedRevision = NO_STREAM;
            for (let n = 0; !stopped; n++) {
              const size = n % 4 === 3 ? 3 : 1;
              const result: AppendResult = await store.append(
                s,
                evs(size, (i) => ({ w, n, i })),
                revision,
              );
              revision = result.nextRevision;
              appends += 1;
              // Let other work (the subscription) interleave with the writes.
              await sleep(w % 2);
            }
          }),
        );
        return {
          streams,
          appends: () => appends,
          async stop() {
            stopped = true;
            await done;
          },
        };
      }

      async function collect(after: number | undefined, label: string) {
        const delivered: RecordedEvent[] = [];
        let errored: Error | undefined;
        const writers = startWriters(4, label);
        // Some events exist before the subscription starts (catch-up), more arrive while it runs (live).
        await waitFor(() => writers.appends() >= 20, 'writers to get going');
        const sub = store.subscribeToAll({
          ...(after === undefined ? {} : { after }),
          onEvent: (e) => {
            delivered.push(e);
          },
          onError: (e) => {
            errored = e;
          },
        });
        await waitFor(() => writers.appends() >= 120, 'writers to append during the subscription');
        await writers.stop();
        const expected = await readAllOf(writers.streams, after);
        const wanted = new Set(writers.streams);
        const lastId = expected.at(-1)!.id;
        await waitFor(() => delivered.some((e) => e.id === lastId), 'the subscription to reach the head');
        await sub.close();
        expect(errored).toBeUndefined();
        return { delivered, expected, mine: delivered.filter((e) => wanted.has(e.stream)) };
      }

      it('catches up from the start then turns live with no gap and no duplicate', async () => {
        const { delivered, expected, mine } = await collect(undefined, 'sub-start');
        expect(mine.map((e) => e.id)).toEqual(expected.map((e) => e.id));
        expect(mine).toEqual(expected);
        expectStrictlyIncreasing(delivered.map((e) => e.position));
      });

      it('starts after a middle checkpoint: nothing at or before it, everything after it', async () => {
        const s = newStream('sub-checkpoint');
        await store.append(s, evs(10), NO_STREAM);
        const checkpoint = (await readAllOf([s]))[4]!.position;
        const { delivered, expected, mine } = await collect(checkpoint, 'sub-middle');
        expect(delivered.every((e) => e.position > checkpoint)).toBe(true);
        expect(delivered.filter((e) => e.stream === s).map((e) => e.data.i)).toEqual([5, 6, 7, 8, 9]);
        expect(mine).toEqual(expected);
        expectStrictlyIncreasing(delivered.map((e) => e.position));
      });

      it('awaits onEvent before delivering the next event, and stops delivering once closed', async () => {
        const s = newStream('sub-await');
        const head = await store.headPosition();
        let inFlight = 0;
        let maxInFlight = 0;
        const seen: number[] = [];
        const sub = store.subscribeToAll({
          after: head,
          onEvent: async (e) => {
            if (e.stream !== s) return;
            inFlight += 1;
            maxInFlight = Math.max(maxInFlight, inFlight);
            await sleep(5);
            seen.push(e.data.i as number);
            inFlight -= 1;
          },
        });
        await store.append(s, evs(5), NO_STREAM);
        await store.append(
          s,
          evs(5, (i) => ({ i: i + 5 })),
          4,
        );
        await waitFor(() => seen.length === 10, 'ten events');
        expect(seen).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
        expect(maxInFlight).toBe(1);

        await sub.close();
        await store.append(s, evs(3), 9);
        await sleep(300);
        expect(seen).toHaveLength(10);
      });
    });

    describe('payloads', () => {
      it('an event with 1 MB of data round-trips intact', async () => {
        const s = newStream('large');
        // Random, so that no layer can get away with compressing or truncating quietly.
        const blob = randomBytes(768 * 1024).toString('base64');
        expect(blob.length).toBe(1024 * 1024);
        const e = ev({ blob, tail: 'end' }, 'DocumentAttached', { size: blob.length });
        await store.append(s, [e], NO_STREAM);
        const [read] = await store.readStream(s);
        // A plain comparison first: a failing toEqual on 1 MB strings prints a wall of text.
        expect(read!.data.blob === blob).toBe(true);
        expect(written(read!)).toEqual(e);
        const [inLog] = await readAllOf([s]);
        expect(inLog!.data.blob === blob).toBe(true);
      });

      it('non-Latin text round-trips byte for byte in data, metadata and keys', async () => {
        const s = newStream('unicode');
        const texts = {
          albanian: 'Shqipëri: çelës, ëndërr, Ç, Ë',
          cyrillic: 'Привет, мир! Ёжик ЪЫЬ',
          emoji: '👩‍👩‍👧‍👦 🇦🇱 🧪 ✔︎',
          cjk: '漢字 かな カナ 한국어 𠜎𠜱',
          combiningAlone: '\u0301\u0308\u0327',
          decomposed: 'e\u0301 c\u0327 e\u0308',
          precomposed: 'é ç ë',
          rtl: 'مرحبا שלום',
          controls: 'tab\tnew\nline nul\u0000 bell\u0007 quote" backslash\\',
          bmpEdges: '\uFEFF\uFFFD\u2028\u2029',
        };
        const data: JsonObject = { ...texts, 'çelës-ключ-键': 'ë', list: Object.values(texts) };
        const metadata: JsonObject = { actor: 'Ëndërr Çelësi', note: texts.cjk, ключ: texts.emoji };
        const e = ev(data, 'TextRecorded', metadata);
        await store.append(s, [e], NO_STREAM);
        const [read] = await store.readStream(s);
        expect(read!.data).toEqual(data);
        expect(read!.metadata).toEqual(metadata);
        for (const [key, text] of Object.entries(texts)) {
          const got = read!.data[key] as string;
          // No normalisation (NFC/NFD), no replacement characters, no dropped code units.
          expect(Buffer.from(got, 'utf8').equals(Buffer.from(text, 'utf8')), key).toBe(true);
        }
        expect(JSON.stringify(read!.data)).toBe(JSON.stringify(data));
        expect(JSON.stringify(read!.metadata)).toBe(JSON.stringify(metadata));
        const [fromLog] = await readAllOf([s]);
        expect(JSON.stringify(fromLog!.data)).toBe(JSON.stringify(data));
      });

      it('empty data and metadata objects round-trip as objects', async () => {
        const s = newStream('empty');
        await store.append(s, [ev({}, 'Nothing', {})], NO_STREAM);
        const [read] = await store.readStream(s);
        expect(read!.data).toEqual({});
        expect(read!.metadata).toEqual({});
      });
    });

    describe('head and health', () => {
      it('headPosition follows the log: -1 when empty, else the position of the last event', async () => {
        const empty = (await store.readAll({ maxCount: 1 })).length === 0;
        if (empty) expect(await store.headPosition()).toBe(-1);
        const s = newStream('head');
        const first = await store.append(s, [ev()], NO_STREAM);
        const head1 = await store.headPosition();
        expect(head1).toBeGreaterThanOrEqual(first.position);
        const second = await store.append(s, evs(3), 0);
        const head2 = await store.headPosition();
        expect(head2).toBeGreaterThanOrEqual(second.position);
        expect(head2).toBeGreaterThan(head1);
        // None of ours lies after the head (others may write to a shared server meanwhile).
        expect((await store.readAll({ after: head2 })).filter((e) => e.stream === s)).toEqual([]);
        if (empty) expect(head2).toBe(second.position);
      });

      it('ping resolves while the store is open', async () => {
        await expect(store.ping()).resolves.toBeUndefined();
      });
    });
  });
}
