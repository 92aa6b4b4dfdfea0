import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { Config } from '../../infra/config.js';
import { leaseRedis } from '../../infra/redis.js';

/** A run of a job held by this instance; release it when the run is over. */
export interface HeldRun {
  release(): Promise<void>;
}

/**
 * Who runs a scheduled job run when several instances fire the same cron tick. `tick` names the run
 * (the instant the schedule fired for, the same string on every instance); the lock refuses a tick
 * that already ran (or a newer one did) and a run while another run of the job is still going.
 */
export interface RunLock {
  /** null when another instance has this run, or the job is running elsewhere. */
  acquire(job: string, tick: string, ttlMs: number): Promise<HeldRun | null>;
  close(): Promise<void>;
}

/** One instance (no REDIS_URL): the same rules, in memory. */
export class InProcessRunLock implements RunLock {
  private readonly running = new Set<string>();
  private readonly lastTick = new Map<string, string>();

  async acquire(job: string, tick: string): Promise<HeldRun | null> {
    const last = this.lastTick.get(job);
    if (this.running.has(job) || (last !== undefined && last >= tick)) return null;
    this.running.add(job);
    this.lastTick.set(job, tick);
    return { release: async () => void this.running.delete(job) };
  }

  async close(): Promise<void> {}
}

/**
 * Atomically: refuse a tick at or before the last one taken (ISO instants compare as strings), then
 * take the lock (SET NX PX) with this holder's token and remember the tick. Both keys share a hash
 * tag, so the script also runs on a Redis cluster.
 */
const ACQUIRE = `
local last = redis.call('GET', KEYS[2])
if last and last >= ARGV[3] then return 0 end
if not redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then return 0 end
redis.call('SET', KEYS[2], ARGV[3], 'PX', ARGV[4])
return 1`;

/** Compare-and-delete: a holder whose lock expired and was taken by another never deletes theirs. */
const RELEASE = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0`;

/** How long an instance remembers the last tick taken: longer than any job's interval. */
const TICK_MEMORY_MS = 2 * 24 * 3600_000;

/**
 * Shared by every instance through Redis. The lock lives at most `ttlMs`: an instance that dies while
 * running never blocks the job for longer than that; a run longer than that may overlap the next one
 * (every job here decides from the streams with exact revisions, so an overlap costs work, not data).
 */
export class RedisRunLock implements RunLock {
  constructor(
    private readonly redis: Redis,
    private readonly prefix = 'portal:',
    /** Called on close: gives back the process's shared connection (src/infra/redis.ts). */
    private readonly onClose: () => Promise<void> = async () => {},
  ) {}

  async acquire(job: string, tick: string, ttlMs: number): Promise<HeldRun | null> {
    const lockKey = `${this.prefix}{job:${job}}:lock`;
    const tickKey = `${this.prefix}{job:${job}}:last-tick`;
    const token = randomUUID();
    const taken = await this.redis.eval(ACQUIRE, 2, lockKey, tickKey, token, ttlMs, tick, TICK_MEMORY_MS);
    if (taken !== 1) return null;
    return {
      release: async () => {
        await this.redis.eval(RELEASE, 1, lockKey, token);
      },
    };
  }

  async close(): Promise<void> {
    await this.onClose();
  }
}

/** With REDIS_URL, on the process's shared connection (as sessions and rate limits); without, in process. */
export function openRunLock(config: Config): RunLock {
  if (!config.REDIS_URL) return new InProcessRunLock();
  const lease = leaseRedis(config.REDIS_URL);
  return new RedisRunLock(lease.redis, config.REDIS_KEY_PREFIX, () => lease.release());
}
