import { decide, type RateLimitDecision, type RateLimiter, windowOf } from './port.js';

/** In-process counters: the default when REDIS_URL is unset. */
export class MemoryRateLimiter implements RateLimiter {
  private readonly counters = new Map<string, { windowEnd: number; count: number }>();

  async hit(key: string, limit: number, windowMs: number, now: Date): Promise<RateLimitDecision> {
    const { end } = windowOf(now, windowMs);
    const id = `${key}|${windowMs}`;
    const current = this.counters.get(id);
    const counter = current && current.windowEnd === end ? current : { windowEnd: end, count: 0 };
    counter.count += 1;
    this.counters.set(id, counter);
    if (this.counters.size > 100_000) this.sweep(now.getTime());
    return decide(counter.count, limit, now, end);
  }

  private sweep(nowMs: number) {
    for (const [id, counter] of this.counters) if (counter.windowEnd <= nowMs) this.counters.delete(id);
  }

  async close(): Promise<void> {}
}
