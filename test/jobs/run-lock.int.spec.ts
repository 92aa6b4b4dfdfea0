import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InProcessRunLock, RedisRunLock, type RunLock } from '../../src/app/jobs/run-lock.js';
import { JobScheduler } from '../../src/app/jobs/scheduler.js';

const silent = { info() {}, warn() {}, error() {} };
const TICK_1 = new Date('2026-11-27T08:05:00.000Z');
const TICK_2 = new Date('2026-11-27T08:10:00.000Z');

/** A job whose runs are counted and held open until the test lets them finish. */
function gatedJob() {
  let runs = 0;
  let open: () => void = () => {};
  let gate = Promise.resolve();
  return {
    runs: () => runs,
    hold() {
      gate = new Promise<void>((resolve) => {
        open = resolve;
      });
    },
    finish: () => open(),
    job: {
      name: 'count',
      schedule: '*/5 * * * *',
      async run() {
        runs++;
        await gate;
      },
    },
  };
}

/** Two instances' schedulers, each with its own lock (and, for Redis, its own connection). */
function suite(name: string, locks: () => [RunLock, RunLock]) {
  describe(name, () => {
    it('runs each tick of a job on one instance only, and never two runs of a job at once', async () => {
      const counted = gatedJob();
      const [lockA, lockB] = locks();
      const a = new JobScheduler(silent, lockA);
      const b = new JobScheduler(silent, lockB);
      a.register(counted.job);
      b.register(counted.job);

      // 1. Both instances fire the same tick at once: one runs it.
      counted.hold();
      const both = Promise.all([a.runScheduled('count', TICK_1), b.runScheduled('count', TICK_1)]);
      // 2. While that run goes on, the next tick is not started anywhere.
      await new Promise((resolve) => setImmediate(resolve));
      const overlapping = await b.runScheduled('count', TICK_2);
      counted.finish();
      expect((await both).sort()).toEqual(['RAN', 'SKIPPED']);
      expect(overlapping).toBe('SKIPPED');
      expect(counted.runs()).toBe(1);

      // 3. A late instance firing a tick that already ran does not run it again.
      expect(await b.runScheduled('count', new Date(TICK_1.getTime() + 400))).toBe('SKIPPED');
      // 4. The lock was released: a later tick runs, once.
      const next = new Date(TICK_2.getTime() + 5 * 60_000);
      expect(
        (await Promise.all([b.runScheduled('count', next), a.runScheduled('count', next)])).sort(),
      ).toEqual(['RAN', 'SKIPPED']);
      expect(counted.runs()).toBe(2);
      await a.stop();
      await b.stop();
    });
  });
}

suite('without Redis (one instance, in process)', () => {
  const shared = new InProcessRunLock();
  return [shared, shared];
});

describe('with Redis on 127.0.0.1:6379', () => {
  const prefix = `test-jobs-${randomUUID()}:`;
  let admin: Redis;
  beforeAll(() => {
    admin = new Redis('redis://127.0.0.1:6379', { maxRetriesPerRequest: 2 });
  });
  afterAll(async () => {
    const keys = await admin.keys(`${prefix}*`);
    if (keys.length > 0) await admin.del(...keys);
    await admin.quit();
  });
  // Each instance with a connection of its own, as two processes would have.
  const open = () => {
    const redis = new Redis('redis://127.0.0.1:6379', { maxRetriesPerRequest: 2 });
    return new RedisRunLock(redis, prefix, async () => {
      await redis.quit();
    });
  };

  suite('two instances', () => [open(), open()]);

  it("releases only its own lock: one that expired and was taken over stays the new holder's", async () => {
    const [a, b] = [open(), open()];
    const first = await a.acquire('purge', '2026-11-27T08:00:00.000Z', 60_000);
    expect(first).not.toBeNull();
    // The lock's time-to-live runs out while the first holder is still busy (simulated: the key goes).
    await admin.del(`${prefix}{job:purge}:lock`);
    const second = await b.acquire('purge', '2026-11-27T09:00:00.000Z', 60_000);
    expect(second).not.toBeNull();
    await first!.release();
    expect(await admin.exists(`${prefix}{job:purge}:lock`)).toBe(1);
    expect(await a.acquire('purge', '2026-11-27T10:00:00.000Z', 60_000)).toBeNull();
    await second!.release();
    expect(await admin.exists(`${prefix}{job:purge}:lock`)).toBe(0);
    await a.close();
    await b.close();
  });
});
