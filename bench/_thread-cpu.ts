import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { currentThreadId } from '../src/infra/thread-priority.js';

/**
 * CPU time of each thread of this process, from /proc (Linux; empty elsewhere), so a benchmark can say
 * where the cores went: the event loop, libuv's pool (argon2), or V8's helpers (GC, compiler).
 */
export function cpuByThread(): Map<number, number> {
  const times = new Map<number, number>();
  if (!existsSync('/proc/self/task')) return times;
  const tick = 1000 / 100; // USER_HZ is 100 on Linux
  for (const id of readdirSync('/proc/self/task')) {
    try {
      const stat = readFileSync(`/proc/self/task/${id}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      times.set(Number(id), (Number(fields[11]) + Number(fields[12])) * tick);
    } catch {
      // The thread ended between the listing and the read.
    }
  }
  return times;
}

/** CPU milliseconds spent between two readings, split into event loop, pool and the rest. */
export function cpuSplit(before: Map<number, number>, after: Map<number, number>, pool: number[]) {
  const main = currentThreadId();
  const split = { eventLoop: 0, pool: 0, other: 0 };
  for (const [id, ms] of after) {
    const spent = ms - (before.get(id) ?? 0);
    if (id === main) split.eventLoop += spent;
    else if (pool.includes(id)) split.pool += spent;
    else split.other += spent;
  }
  return split;
}
