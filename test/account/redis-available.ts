import { Redis } from 'ioredis';

export const REDIS_TEST_URL = process.env.REDIS_TEST_URL ?? process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

/**
 * Whether Redis answers. CI starts it (.ci/run) and there a missing Redis is a failure; on a
 * developer's machine without Redis the Redis variants are skipped.
 */
export async function redisAnswers(): Promise<boolean> {
  const redis = new Redis(REDIS_TEST_URL, {
    lazyConnect: true,
    maxRetriesPerRequest: 0,
    connectTimeout: 1000,
  });
  try {
    await redis.connect();
    await redis.ping();
    return true;
  } catch (error) {
    if (process.env.CI) throw new Error(`Redis does not answer at ${REDIS_TEST_URL}: ${String(error)}`);
    return false;
  } finally {
    redis.disconnect();
  }
}

/** A key prefix no other test run shares. */
export const uniquePrefix = () =>
  `portal-test-${process.pid}-${Date.now()}-${Math.random().toString(36).slice(2)}:`;
