import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InProcessRunLock, RedisRunLock, type RunLock } from '../../src/app/jobs/run-lock.js';
import { JobScheduler } from '../../src/app/jobs/scheduler.js';
import { leaseRedis } from '../../src/infra/redis.js';
import { OwnRedis } from '../ops/own-redis.js';

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

describe('with Redis gone away (a redis-server of the test’s own, stopped and started)', () => {
  it('runs the tick on no instance while Redis is down (fails closed), and the next tick once it is back', async () => {
    let redis: OwnRedis;
    try {
      redis = await OwnRedis.start();
    } catch (error) {
      console.warn(`[skip] redis-server could not be started: ${String(error)}`);
      return;
    }
    // The portal's own connection options (leaseRedis), as the services use them.
    const lease = leaseRedis(redis.url);
    // The services listen for its errors (a metric); here they are expected, and silent.
    lease.redis.on('error', () => {});
    const counted = gatedJob();
    const scheduler = new JobScheduler(
      silent,
      new RedisRunLock(lease.redis, 'test-down:', () => lease.release()),
    );
    scheduler.register(counted.job);
    try {
      expect(await scheduler.runScheduled('count', TICK_1)).toBe('RAN');
      await redis.stop();
      // The lock cannot be asked: the run is refused with an error (the cron's caller logs it), and
      // the job does not run here; no other instance can take the lock either, so it runs nowhere.
      await expect(scheduler.runScheduled('count', TICK_2)).rejects.toThrow();
      expect(counted.runs()).toBe(1);
      await redis.start();
      // ioredis reconnects by itself: the next tick runs, with no restart.
      await expect
        .poll(
          () => scheduler.runScheduled('count', new Date(TICK_2.getTime() + 5 * 60_000)).catch(() => 'DOWN'),
          {
            timeout: 10_000,
            interval: 200,
          },
        )
        .toBe('RAN');
      expect(counted.runs()).toBe(2);
    } finally {
      await scheduler.stop();
      await redis.stop();
    }
  });
});
