import { existsSync, readFileSync, readlinkSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  lowerThreadpoolPriority,
  threadpoolSize,
  threadpoolThreadIds,
} from '../../src/infra/thread-priority.js';

/** Field 19 of /proc/self/task/<id>/stat: the thread's nice value. */
function niceOf(threadId: number): number {
  const stat = readFileSync(`/proc/self/task/${threadId}/stat`, 'utf8');
  return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[16]);
}

const mainThread = Number(/task\/(\d+)$/.exec(readlinkSync('/proc/thread-self'))![1]);

describe('threadpoolSize', () => {
  it('reads UV_THREADPOOL_SIZE as libuv does', () => {
    expect(threadpoolSize({})).toBe(4);
    expect(threadpoolSize({ UV_THREADPOOL_SIZE: '2' })).toBe(2);
    expect(threadpoolSize({ UV_THREADPOOL_SIZE: 'x' })).toBe(4);
    expect(threadpoolSize({ UV_THREADPOOL_SIZE: '0' })).toBe(4);
    expect(threadpoolSize({ UV_THREADPOOL_SIZE: '5000' })).toBe(1024);
  });
});

describe.runIf(process.platform === 'linux')('libuv pool threads below the event loop', () => {
  it('finds every pool thread of this process, and not the event loop thread', async () => {
    const ids = await threadpoolThreadIds(threadpoolSize());
    expect(ids).toHaveLength(threadpoolSize());
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).not.toContain(mainThread);
    for (const id of ids) expect(existsSync(`/proc/self/task/${id}`)).toBe(true);
  });

  it('gives the pool threads the nice value and leaves the event loop alone', async () => {
    const before = niceOf(mainThread);
    await lowerThreadpoolPriority(10);
    const ids = await threadpoolThreadIds(threadpoolSize());
    expect(ids.length).toBeGreaterThan(0);
    for (const id of ids) expect(niceOf(id)).toBe(10);
    expect(niceOf(mainThread)).toBe(before);
  });
});
