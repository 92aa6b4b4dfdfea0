import { decide, type RateLimitDecision, type RateLimiter, windowOf } from './port.js';

const MAX_COUNTERS = 100_000;

/** In-process counters: the default when REDIS_URL is unset. */
export class MemoryRateLimiter implements RateLimiter {
  private readonly counters = new Map<string, { windowEnd: number; count: number }>();

  async hit(key: string, limit: number, windowMs: number, now: Date): Promise<RateLimitDecision> {
    const { end } = windowOf(now, windowMs);
    const id = `${key}|${windowMs}`;
    const current = this.counters.get(id);
    const counter = current && current.windowEnd === end ? current : { windowEnd: end, count: 0 };
    counter.count += 1;
    // Re-inserting keeps the map in order of last use, so eviction below drops the stalest first.
    this.counters.delete(id);
    this.counters.set(id, counter);
    if (this.counters.size > MAX_COUNTERS) this.shrink(now.getTime());
    return decide(counter.count, limit, now, end);
  }

  /**
   * Bounded memory at bounded cost: drop ended windows, then, if many windows are still open, the
   * least recently used, down to 90% of the cap, so the next sweep is 10,000 hits away rather than
   * one (a scan on every hit once full cost a millisecond each at 100,000 keys).
   */
  private shrink(nowMs: number) {
    for (const [id, counter] of this.counters) if (counter.windowEnd <= nowMs) this.counters.delete(id);
    const target = Math.floor(MAX_COUNTERS * 0.9);
    for (const id of this.counters.keys()) {
      if (this.counters.size <= target) break;
      this.counters.delete(id);
    }
  }

  get size(): number {
    return this.counters.size;
  }

  async close(): Promise<void> {}
}
