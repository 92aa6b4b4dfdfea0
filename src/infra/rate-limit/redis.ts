import type { Redis } from 'ioredis';
import { usingRedis } from '../redis.js';
import { decide, type RateLimitDecision, type RateLimiter, windowOf } from './port.js';

/**
 * Fixed-window counters in Redis, shared by every instance. The window comes from the server clock
 * passed in (so /dev/clock moves it); the key's TTL only collects windows that are over.
 */
export class RedisRateLimiter implements RateLimiter {
  constructor(
    private readonly redis: Redis,
    private readonly prefix = 'portal:',
    private readonly ownsConnection = false,
  ) {}

  async hit(key: string, limit: number, windowMs: number, now: Date): Promise<RateLimitDecision> {
    const { start, end } = windowOf(now, windowMs);
    const id = `${this.prefix}rl:${key}|${windowMs}|${start}`;
    // Fails closed: a limit that cannot count refuses (UNAVAILABLE) rather than letting a guess through.
    const results = await usingRedis(() =>
      this.redis
        .multi()
        .incr(id)
        .pexpire(id, windowMs * 2)
        .exec(),
    );
    const [error, count] = results?.[0] ?? [new Error('no answer from Redis'), 0];
    if (error) throw error;
    return decide(Number(count), limit, now, end);
  }

  async close(): Promise<void> {
    if (this.ownsConnection) await this.redis.quit();
  }
}
