import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MemoryRateLimiter } from '../../src/infra/rate-limit/memory.js';
import type { RateLimiter } from '../../src/infra/rate-limit/port.js';
import { RedisRateLimiter } from '../../src/infra/rate-limit/redis.js';
import { MemorySessionStore } from '../../src/infra/sessions/memory.js';
import { newSessionToken, type SessionStore, sessionIdFor } from '../../src/infra/sessions/port.js';
import { RedisSessionStore } from '../../src/infra/sessions/redis.js';
import { REDIS_TEST_URL, redisAnswers, uniquePrefix } from './redis-available.js';

const T0 = Date.parse('2026-11-27T08:00:00.000Z');
const MIN = 60_000;
const IDLE = 30 * MIN;
const at = (ms: number) => new Date(T0 + ms);

/** One contract, run unchanged against every session store. */
function sessionStoreContract(name: string, open: () => Promise<SessionStore>) {
  describe(`${name} session store`, () => {
    let store: SessionStore;
    beforeAll(async () => {
      store = await open();
    });
    afterAll(async () => {
      await store?.close();
    });
    const start = async (accountId: string, absoluteMs = 12 * 60 * MIN) => {
      const sessionId = sessionIdFor(Buffer.alloc(32, 7), newSessionToken());
      await store.create({ sessionId, accountId, startedAt: T0, lastSeenAt: T0, expiresAt: T0 + absoluteMs });
      return sessionId;
    };

    it('keeps a session open while it is used, and ends it after 30 idle minutes', async () => {
      const id = await start('acc-idle');
      expect(await store.touch(id, at(29 * MIN))).toMatchObject({ accountId: 'acc-idle' });
      expect(await store.touch(id, at(58 * MIN))).not.toBeNull();
      expect(await store.touch(id, at(58 * MIN + IDLE))).toBeNull();
      expect(await store.touch(id, at(58 * MIN))).toBeNull();
    });

    it('ends a session at its absolute end however busy it is', async () => {
      const id = await start('acc-abs', 60 * MIN);
      for (let m = 20; m < 60; m += 20) expect(await store.touch(id, at(m * MIN))).not.toBeNull();
      expect(await store.touch(id, at(60 * MIN))).toBeNull();
    });

    it('ends one session, or every session of an account but one', async () => {
      const [a, b, c] = [await start('acc-x'), await start('acc-x'), await start('acc-x')];
      const other = await start('acc-y');
      await store.end(a);
      expect(await store.touch(a, at(MIN))).toBeNull();
      await store.endAllOf('acc-x', c);
      expect(await store.touch(b, at(MIN))).toBeNull();
      expect(await store.touch(c, at(MIN))).not.toBeNull();
      expect(await store.touch(other, at(MIN))).not.toBeNull();
    });

    it('never holds the token, only its keyed hash', async () => {
      const token = newSessionToken();
      expect(Buffer.from(token, 'base64url')).toHaveLength(32);
      const id = sessionIdFor(Buffer.alloc(32, 7), token);
      expect(id).not.toContain(token);
      expect(id).toMatch(/^[0-9a-f]{64}$/);
    });
  });
}

function rateLimiterContract(name: string, open: () => Promise<RateLimiter>) {
  describe(`${name} rate limiter`, () => {
    let limiter: RateLimiter;
    beforeAll(async () => {
      limiter = await open();
    });
    afterAll(async () => {
      await limiter?.close();
    });
    it('counts per key in windows of the given clock, and says when to retry', async () => {
      const key = `k-${Math.random()}`;
      const window = 60_000;
      const start = new Date(Math.floor(T0 / window) * window);
      for (let i = 0; i < 3; i++) expect((await limiter.hit(key, 3, window, start)).allowed).toBe(true);
      const refused = await limiter.hit(key, 3, window, new Date(start.getTime() + 15_000));
      expect(refused).toMatchObject({ allowed: false, retryAfterSeconds: 45 });
      expect((await limiter.hit(`${key}-other`, 3, window, start)).allowed).toBe(true);
      expect((await limiter.hit(key, 3, window, new Date(start.getTime() + window))).allowed).toBe(true);
    });
  });
}

sessionStoreContract('memory', async () => new MemorySessionStore({ idleMs: IDLE }));
rateLimiterContract('memory', async () => new MemoryRateLimiter());

const redisUp = await redisAnswers();
describe.runIf(redisUp)('with Redis', () => {
  const connections: Redis[] = [];
  const connect = () => {
    const redis = new Redis(REDIS_TEST_URL);
    connections.push(redis);
    return redis;
  };
  afterAll(async () => {
    for (const redis of connections) await redis.quit();
  });
  sessionStoreContract(
    'redis',
    async () => new RedisSessionStore(connect(), { idleMs: IDLE }, uniquePrefix()),
  );
  rateLimiterContract('redis', async () => new RedisRateLimiter(connect(), uniquePrefix()));
});
