import { describe, expect, it } from 'vitest';
import { MemoryRateLimiter } from '../../src/infra/rate-limit/memory.js';

describe('in-process rate limiter', () => {
  it('stays bounded when flooded with distinct keys, keeping the counters in use', async () => {
    const limiter = new MemoryRateLimiter();
    const now = new Date('2026-11-27T08:00:00Z');
    await limiter.hit('victim', 3, 60_000, now);
    for (let i = 0; i < 120_000; i++) {
      await limiter.hit(`flood-${i}`, 3, 60_000, now);
      // The victim's counter is used all along, so eviction (least recently used) never drops it.
      if (i % 5_000 === 0) await limiter.hit('victim', 3, 60_000, now);
    }
    expect(limiter.size).toBeLessThanOrEqual(100_000);
    expect((await limiter.hit('victim', 3, 60_000, now)).allowed).toBe(false);
  });

  it('forgets ended windows first', async () => {
    const limiter = new MemoryRateLimiter();
    const start = new Date('2026-11-27T08:00:00Z');
    for (let i = 0; i < 100_000; i++) await limiter.hit(`old-${i}`, 1, 60_000, start);
    const later = new Date(start.getTime() + 120_000);
    await limiter.hit('new-1', 1, 60_000, later);
    await limiter.hit('new-2', 1, 60_000, later);
    expect(limiter.size).toBe(2);
    expect((await limiter.hit('new-2', 1, 60_000, later)).allowed).toBe(false);
  });
});
