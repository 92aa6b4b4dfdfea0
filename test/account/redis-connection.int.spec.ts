import { describe, expect, it } from 'vitest';
import { leaseRedis } from '../../src/infra/redis.js';
import { startTestApp } from '../support/harness.js';
import { ME, registeredPerson, signIn } from './flows.js';
import { REDIS_TEST_URL, redisAnswers, uniquePrefix } from './redis-available.js';

const redisUp = await redisAnswers();

describe.runIf(redisUp)('one Redis connection per process', () => {
  it('every lease of a URL holds the same connection, closed by the last release only', async () => {
    const first = leaseRedis(REDIS_TEST_URL);
    const second = leaseRedis(REDIS_TEST_URL);
    expect(second.redis).toBe(first.redis);
    await first.release();
    await first.release(); // twice counts once
    expect(await second.redis.ping()).toBe('PONG');
    await second.release();
    // QUIT was answered; the socket closes right after.
    await new Promise((ended) =>
      first.redis.status === 'end' ? ended(null) : first.redis.once('end', ended),
    );
    // A later lease opens a fresh connection.
    const third = leaseRedis(REDIS_TEST_URL);
    expect(third.redis).not.toBe(first.redis);
    expect(await third.redis.ping()).toBe('PONG');
    await third.release();
  });

  it('two instances in one process share it for sessions and limits; closing one leaves the other working', async () => {
    const held = leaseRedis(REDIS_TEST_URL);
    const env = { REDIS_URL: REDIS_TEST_URL, REDIS_KEY_PREFIX: uniquePrefix() };
    const a = await startTestApp(env);
    const b = await startTestApp(env);
    const connectionOf = (adapter: unknown) => (adapter as { redis: unknown }).redis;
    try {
      for (const t of [a, b]) {
        expect(connectionOf(t.services.sessions)).toBe(held.redis);
        expect(connectionOf(t.services.rateLimits)).toBe(held.redis);
      }
      await a.close();
      // B still keeps sessions and limits in Redis through the connection A also held.
      const person = await registeredPerson(b);
      const session = await signIn(b, person.nid, person.password, person.email);
      expect(session.__typename).toBe('SessionStarted');
      expect((await b.gql(ME, {}, { token: session.token })).data.me.identifier).toBe(person.nid);
    } finally {
      await b.close();
      await held.release();
    }
  });
});
