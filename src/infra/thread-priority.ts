import { readlinkSync } from 'node:fs';
import { readlink } from 'node:fs/promises';
import { getPriority, setPriority } from 'node:os';

/**
 * The request path outranks password hashing. argon2 runs on libuv's pool, one thread per core; with
 * every core busy hashing, the event loop (which answers every request, completeLogin included) waits
 * for a time slice behind the hash threads, and each fsync it sleeps on costs it another wait to get
 * back on a core. Giving the pool threads a higher nice value lets the event loop run as soon as it
 * is ready, while the pool still has every cycle the event loop leaves (measured with
 * `npm run bench -- signin`: completeLogin p50 10.2 -> 4.9 ms, p99 30 -> 18 ms on 2 cores, sign-ins/s
 * unchanged).
 *
 * Linux only (elsewhere it does nothing): a thread's id is found by asking the pool itself, since
 * readlink('/proc/thread-self') runs on, and names, the pool thread that serves it. libuv starts all
 * of its pool threads together on first use, so they are all there to be found.
 */

function threadIdOf(link: string): number | null {
  const match = /^\d+\/task\/(\d+)$/.exec(link);
  return match ? Number(match[1]) : null;
}

/** The OS thread id of the calling thread (Linux), null elsewhere. */
export function currentThreadId(): number | null {
  if (process.platform !== 'linux') return null;
  return threadIdOf(readlinkSync('/proc/thread-self'));
}

/** The OS thread ids of libuv's pool, found by sending it small jobs until `expected` distinct ones answered. */
export async function threadpoolThreadIds(expected: number, rounds = 50): Promise<number[]> {
  if (process.platform !== 'linux') return [];
  const mainThread = currentThreadId();
  const found = new Set<number>();
  for (let round = 0; round < rounds && found.size < expected; round++) {
    // Many at once, so that every idle pool thread picks some up.
    const links = await Promise.all(
      Array.from({ length: expected * 4 }, () => readlink('/proc/thread-self').catch(() => '')),
    );
    for (const link of links) {
      const id = threadIdOf(link);
      if (id !== null && id !== mainThread) found.add(id);
    }
  }
  return [...found];
}

/** The size libuv gives its pool: UV_THREADPOOL_SIZE, 4 when unset, clamped as libuv does. */
export function threadpoolSize(env: Record<string, string | undefined> = process.env): number {
  const size = Number.parseInt(env.UV_THREADPOOL_SIZE ?? '', 10);
  if (!Number.isFinite(size) || size <= 0) return 4;
  return Math.min(size, 1024);
}

let lowered: Promise<number[]> | undefined;

/**
 * Sets the nice value of every pool thread to `nice` (once per process: the pool is per process).
 * Raising a nice value needs no privilege. Resolves with the thread ids changed; never throws, since
 * a server that cannot do this still works, only with slower answers under load.
 */
export function lowerThreadpoolPriority(nice: number): Promise<number[]> {
  lowered ??= (async () => {
    if (nice <= 0) return [];
    try {
      const ids = await threadpoolThreadIds(threadpoolSize());
      const changed: number[] = [];
      for (const id of ids) {
        if (getPriority(id) >= nice) continue;
        setPriority(id, nice);
        changed.push(id);
      }
      return changed;
    } catch {
      return [];
    }
  })();
  return lowered;
}
