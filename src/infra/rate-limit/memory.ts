import { decide, type RateLimitDecision, type RateLimiter, windowOf } from './port.js';

const MAX_COUNTERS = 100_000;
const SHRINK_TO = Math.floor(MAX_COUNTERS * 0.9);

/**
 * A key that names an account (a 32-hex account id as one of its `:`/`.`-separated parts): its budget is
 * what stops guessing and sending against that account, so an open window of it is never evicted, or
 * anyone able to create many other keys (addresses, destinations) could reset the caps of a person's
 * account. Per-destination keys, which also name a keyed 32-hex hash, are kept for the same reason.
 */
export const namesAnAccount = (key: string): boolean => /(?:^|[:.])[0-9a-f]{32}(?:$|[:.|])/.test(key);

/** In-process counters: the default when REDIS_URL is unset. */
export class MemoryRateLimiter implements RateLimiter {
  private readonly counters = new Map<string, { windowEnd: number; count: number }>();
  /** The size at which the next sweep runs: above the cap when open per-account windows fill it. */
  private sweepAbove = MAX_COUNTERS;

  async hit(key: string, limit: number, windowMs: number, now: Date): Promise<RateLimitDecision> {
    const { end } = windowOf(now, windowMs);
    const id = `${key}|${windowMs}`;
    const current = this.counters.get(id);
    const counter = current && current.windowEnd === end ? current : { windowEnd: end, count: 0 };
    counter.count += 1;
    // Re-inserting keeps the map in order of last use, so eviction below drops the stalest first.
    this.counters.delete(id);
    this.counters.set(id, counter);
    if (this.counters.size > this.sweepAbove) this.shrink(now.getTime());
    return decide(counter.count, limit, now, end);
  }

  /**
   * Bounded memory at bounded cost: drop ended windows (the stalest first), then, if many windows are
   * still open, the least recently used of the keys that name no account, down to 90% of the cap, so
   * the next sweep is 10,000 hits away rather than one (a scan on every hit once full cost a
   * millisecond each at 100,000 keys). Open windows of per-account keys stay: if they alone pass the
   * cap, memory grows (each one cost a request the per-address limits let through) and the next sweep
   * waits for another 10,000 keys.
   */
  private shrink(nowMs: number) {
    for (const [id, counter] of this.counters) if (counter.windowEnd <= nowMs) this.counters.delete(id);
    for (const id of this.counters.keys()) {
      if (this.counters.size <= SHRINK_TO) break;
      if (!namesAnAccount(id)) this.counters.delete(id);
    }
    this.sweepAbove = Math.max(MAX_COUNTERS, this.counters.size + (MAX_COUNTERS - SHRINK_TO));
  }

  get size(): number {
    return this.counters.size;
  }

  async close(): Promise<void> {}
}
