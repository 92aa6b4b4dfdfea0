/**
 * Fixed-window counters shared by every instance (Redis) or kept in process (single machine). The
 * window is computed from the server clock the caller passes in, never from the store's own clock,
 * so /dev/clock/advance moves limits like every other time window.
 */
export interface RateLimitDecision {
  allowed: boolean;
  /** Seconds until the window that refused this call ends; 0 when allowed. */
  retryAfterSeconds: number;
  remaining: number;
}

export interface RateLimiter {
  /** Counts one hit against `key` in a window of `windowMs` and says whether it is within `limit`. */
  hit(key: string, limit: number, windowMs: number, now: Date): Promise<RateLimitDecision>;
  close(): Promise<void>;
}

export function windowOf(now: Date, windowMs: number): { start: number; end: number } {
  const start = Math.floor(now.getTime() / windowMs) * windowMs;
  return { start, end: start + windowMs };
}

export function decide(count: number, limit: number, now: Date, windowEnd: number): RateLimitDecision {
  const allowed = count <= limit;
  return {
    allowed,
    retryAfterSeconds: allowed ? 0 : Math.max(1, Math.ceil((windowEnd - now.getTime()) / 1000)),
    remaining: Math.max(0, limit - count),
  };
}
