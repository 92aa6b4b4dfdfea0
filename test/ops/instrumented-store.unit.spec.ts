import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { NO_STREAM, WrongExpectedVersionError } from '../../src/infra/eventstore/port.js';
import { openSqliteEventStore } from '../../src/infra/eventstore/sqlite.js';
import { instrumentStore } from '../../src/infra/metrics/instrumented.js';
import { createPortalMetrics } from '../../src/infra/metrics/portal-metrics.js';

const event = (type = 'TestHappened') => ({ id: randomUUID(), type, data: {}, metadata: {} });

describe('the measured event store', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });
  const open = () => {
    const dir = mkdtempSync(join(tmpdir(), 'portal-measured-'));
    dirs.push(dir);
    const store = openSqliteEventStore({ file: join(dir, 'events.sqlite') });
    const metrics = createPortalMetrics();
    const seen: string[] = [];
    return {
      store,
      metrics,
      seen,
      measured: instrumentStore(store, metrics, (events) => seen.push(...events.map((e) => e.type))),
    };
  };
  const count = async (metric: {
    get(): Promise<{ values: Array<{ value: number; metricName?: string }> }>;
  }) =>
    (await metric.get()).values
      .filter((v) => !v.metricName || v.metricName.endsWith('_count'))
      .reduce((a, v) => a + v.value, 0);

  it('passes appends through, counts conflicts, and tells what was appended', async () => {
    const { store, metrics, seen, measured } = open();
    await measured.append('s-1', [event('A'), event('B')], NO_STREAM);
    await expect(measured.append('s-1', [event('C')], NO_STREAM)).rejects.toBeInstanceOf(
      WrongExpectedVersionError,
    );
    expect(seen).toEqual(['A', 'B']);
    expect(await count(metrics.conflicts)).toBe(1);
    expect(await count(metrics.appendSize)).toBe(1);
    // The store's own state and fields read through the proxy.
    expect(await measured.headPosition()).toBe(2);
    expect((measured as typeof store).stats.appends).toBe(2);
    await measured.close();
    await expect(store.ping()).rejects.toThrow(/closed/);
  });

  it('can be replaced by assignment or vi.spyOn, and the replacement calling the measured one does not loop', async () => {
    const { measured, seen } = open();
    const original = measured.append;
    measured.append = (stream, events, expected) =>
      stream === 'refused' ? Promise.reject(new Error('disk full')) : original(stream, events, expected);
    await expect(measured.append('refused', [event()], NO_STREAM)).rejects.toThrow('disk full');
    await measured.append('s-2', [event('D')], NO_STREAM);
    measured.append = original;
    const spy = vi.spyOn(measured, 'append');
    await measured.append('s-3', [event('E')], NO_STREAM);
    expect(spy).toHaveBeenCalledTimes(1);
    expect(seen).toEqual(['D', 'E']);
    await measured.close();
  });
});
