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

describe('eviction never reopens a per-account window', () => {
  const account = (i: number) => i.toString(16).padStart(32, '0');

  it('a flood of other keys evicts them, never the open windows of per-account keys', async () => {
    const limiter = new MemoryRateLimiter();
    const now = new Date('2026-11-27T08:00:00Z');
    // 500 accounts each spend their hourly budget of 3; nobody touches them again for the hour.
    for (let i = 0; i < 500; i++)
      for (let n = 0; n < 3; n++) await limiter.hit(`codes:account:${account(i)}`, 3, 3600_000, now);
    for (let i = 0; i < 150_000; i++)
      await limiter.hit(`signin:ip:10.${i >> 16}.${(i >> 8) & 255}.${i & 255}`, 20, 60_000, now);
    expect(limiter.size).toBeLessThanOrEqual(100_000);
    for (let i = 0; i < 500; i++)
      expect((await limiter.hit(`codes:account:${account(i)}`, 3, 3600_000, now)).allowed).toBe(false);
  });

  it('expired windows go first, per-account ones included; open per-account ones stay even past the cap', async () => {
    const limiter = new MemoryRateLimiter();
    const start = new Date('2026-11-27T08:00:00Z');
    for (let i = 0; i < 100_000; i++) await limiter.hit(`argon2:account:${account(i)}`, 1, 60_000, start);
    const later = new Date(start.getTime() + 120_000);
    await limiter.hit(`argon2:account:${account(1)}`, 1, 60_000, later);
    await limiter.hit('signin:ip:192.0.2.1', 1, 60_000, later);
    expect(limiter.size).toBe(2);
    for (let i = 0; i < 100_001; i++) await limiter.hit(`codes:account:${account(i)}`, 5, 3600_000, later);
    expect(limiter.size).toBeGreaterThan(100_000);
    expect((await limiter.hit(`argon2:account:${account(1)}`, 1, 60_000, later)).allowed).toBe(false);
  });
});
