import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { currentThreadId } from '../src/infra/thread-priority.js';

/** What one thread has used so far: CPU milliseconds and context switches (it slept / it was preempted). */
export interface ThreadUse {
  cpuMs: number;
  /** The part of cpuMs spent in the kernel (system calls, page faults). */
  sysMs: number;
  voluntary: number;
  involuntary: number;
}

/**
 * CPU time and context switches of each thread of this process, from /proc (Linux; empty elsewhere),
 * so a benchmark can say where the cores went: the event loop, libuv's pool (argon2), or V8's helpers
 * (GC, compiler). Context switches matter as much as CPU here: each time the event loop wakes, it
 * takes a core from an argon2 thread, which then refills its caches.
 */
export function cpuByThread(pid: number | 'self' = 'self'): Map<number, ThreadUse> {
  const uses = new Map<number, ThreadUse>();
  const tasks = `/proc/${pid}/task`;
  if (!existsSync(tasks)) return uses;
  const tick = 1000 / 100; // USER_HZ is 100 on Linux
  for (const id of readdirSync(tasks)) {
    try {
      const stat = readFileSync(`${tasks}/${id}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const status = readFileSync(`${tasks}/${id}/status`, 'utf8');
      const count = (name: string) => Number(status.match(new RegExp(`^${name}:\\s+(\\d+)`, 'm'))?.[1] ?? 0);
      uses.set(Number(id), {
        cpuMs: (Number(fields[11]) + Number(fields[12])) * tick,
        sysMs: Number(fields[12]) * tick,
        voluntary: count('voluntary_ctxt_switches'),
        involuntary: count('nonvoluntary_ctxt_switches'),
      });
    } catch {
      // The thread ended between the listing and the read.
    }
  }
  return uses;
}

type Part = 'eventLoop' | 'pool' | 'other';
export type CpuSplit = Record<Part, ThreadUse>;

const zero = (): ThreadUse => ({ cpuMs: 0, sysMs: 0, voluntary: 0, involuntary: 0 });

export function emptySplit(): CpuSplit {
  return { eventLoop: zero(), pool: zero(), other: zero() };
}

/** Adds `more` to `into`, part by part (use of one thread: `was` is subtracted when given). */
function add(into: ThreadUse, more: ThreadUse, was: ThreadUse = zero()) {
  into.cpuMs += more.cpuMs - was.cpuMs;
  into.sysMs += more.sysMs - was.sysMs;
  into.voluntary += more.voluntary - was.voluntary;
  into.involuntary += more.involuntary - was.involuntary;
}

/** Sums two splits into the first (the rounds of one benchmark). */
export function addSplit(into: CpuSplit, more: CpuSplit): void {
  for (const part of ['eventLoop', 'pool', 'other'] as const) add(into[part], more[part]);
}

/** CPU milliseconds and context switches between two readings, split into event loop, pool and the rest. */
export function cpuSplit(
  before: Map<number, ThreadUse>,
  after: Map<number, ThreadUse>,
  pool: number[],
): CpuSplit {
  const main = currentThreadId();
  const split = emptySplit();
  for (const [id, use] of after) {
    const part: Part = id === main ? 'eventLoop' : pool.includes(id) ? 'pool' : 'other';
    add(split[part], use, before.get(id));
  }
  return split;
}

/**
 * The split of another process (a server the benchmark started) between two readings. Its event loop
 * is the thread whose id is the pid; libuv names no thread, so its pool is taken as the `poolSize`
 * other threads that used the most CPU (argon2 runs only there), and the rest (V8's GC and compiler
 * helpers) is `other`.
 */
export function processSplit(
  pid: number,
  before: Map<number, ThreadUse>,
  after: Map<number, ThreadUse>,
  poolSize: number,
): CpuSplit {
  const used = (id: number) => (after.get(id)?.cpuMs ?? 0) - (before.get(id)?.cpuMs ?? 0);
  const pool = [...after.keys()]
    .filter((id) => id !== pid)
    .sort((a, b) => used(b) - used(a))
    .slice(0, poolSize);
  const split = emptySplit();
  for (const [id, use] of after) {
    const part: Part = id === pid ? 'eventLoop' : pool.includes(id) ? 'pool' : 'other';
    add(split[part], use, before.get(id));
  }
  return split;
}

/**
 * CPU milliseconds the whole machine has spent busy so far (every core, every process, interrupts),
 * from /proc/stat; 0 elsewhere. Beside this process's own threads it shows the work done for us
 * elsewhere: the file system's journal threads, disk interrupts, other services.
 */
export function machineBusyMs(): number {
  if (!existsSync('/proc/stat')) return 0;
  const cpu = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number);
  // user nice system idle iowait irq softirq steal: idle and iowait are not busy.
  const busy = cpu.reduce((sum, value, i) => (i === 3 || i === 4 ? sum : sum + value), 0);
  return busy * (1000 / 100);
}
