import { Redis, ReplyError } from 'ioredis';
import { DependencyUnavailableError } from './unavailable.js';

/**
 * The options of every portal connection: a command fails after two reconnection attempts rather than
 * waiting forever (a sign-in answers with an error, not a hang), and commands given while reconnecting
 * are queued.
 */
const OPTIONS = { maxRetriesPerRequest: 2, enableOfflineQueue: true } as const;

/** A hold on the process's shared connection; release it when the holder closes. */
export interface RedisLease {
  readonly redis: Redis;
  /** The last holder's release closes the connection; releasing twice counts once. */
  release(): Promise<void>;
}

const shared = new Map<string, { redis: Redis; holders: number }>();

/**
 * The process's one connection to a Redis URL (REDIS_URL), opened on the first lease. Sessions, rate
 * limits and the job run-lock only send short commands, so one pipelined connection serves them all;
 * several Services in one process (tests, two instances) share it too, which is why it is counted and
 * closed by the last release. Not for SUBSCRIBE or blocking commands, which hold a connection for
 * themselves: take `lease.redis.duplicate()` for those.
 */
export function leaseRedis(url: string): RedisLease {
  let entry = shared.get(url);
  if (!entry || entry.redis.status === 'end') {
    entry = { redis: new Redis(url, OPTIONS), holders: 0 };
    shared.set(url, entry);
  }
  const held = entry;
  held.holders += 1;
  let released = false;
  return {
    redis: held.redis,
    async release() {
      if (released) return;
      released = true;
      held.holders -= 1;
      if (held.holders > 0) return;
      if (shared.get(url) === held) shared.delete(url);
      await held.redis.quit().catch(() => {});
    },
  };
}

/**
 * Runs one use of Redis; a connection that is down (refused, closed, or retried past
 * maxRetriesPerRequest) becomes DependencyUnavailableError, which every caller answers UNAVAILABLE:
 * nothing that needs Redis is skipped or guessed while it is away (see README, "what fails open or
 * closed"). A reply error (a wrong command) is a bug and stays what it is. ioredis reconnects by
 * itself, so the first use after Redis is back simply works.
 */
export async function usingRedis<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof ReplyError || error instanceof DependencyUnavailableError) throw error;
    throw new DependencyUnavailableError(
      'redis',
      'Sessions and limits are unavailable right now; try again.',
      error,
    );
  }
}
