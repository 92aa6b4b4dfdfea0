import type Database from 'better-sqlite3';
import type { Redis } from 'ioredis';
import type { EventStore } from '../../infra/eventstore/port.js';
import {
  EXPOSITION_CONTENT_TYPE,
  exposition,
  type PortalMetrics,
} from '../../infra/metrics/portal-metrics.js';
import { overdueByInstitution } from '../../projections/application-counts.js';
import type { ProjectionRunner } from '../../projections/runner.js';
import { readModelLag } from './read-model-lag.js';
import { Readiness } from './readiness.js';

/** What operators see of an instance: readiness for the load balancer, metrics for Prometheus. */
export interface Operations {
  readiness: Readiness;
  /** Null with METRICS=off: nothing is measured and /metrics does not exist. */
  metrics: PortalMetrics | null;
  /** The exposition in Prometheus's text format, with the gauges read at this moment. */
  scrape(): Promise<{ contentType: string; body: string }>;
}

export interface OperationsParts {
  metrics: PortalMetrics | null;
  store: EventStore;
  projections: ProjectionRunner;
  readDb: Database.Database;
  redis: Redis | null;
  maxLagMs: number;
  now: () => number;
}

export function openOperations(parts: OperationsParts): Operations {
  const { metrics, store, projections, readDb, redis, now } = parts;
  const readiness = new Readiness({
    store,
    readModels: projections,
    redis,
    maxLagMs: parts.maxLagMs,
    now,
  });
  return {
    readiness,
    metrics,
    async scrape() {
      if (!metrics) throw new Error('metrics are off (METRICS=off)');
      await refreshGauges(metrics);
      metrics.ready.set((await readiness.report()).ready ? 1 : 0);
      return { contentType: EXPOSITION_CONTENT_TYPE, body: await exposition(metrics) };
    },
  };

  async function refreshGauges(m: PortalMetrics) {
    const lag = await readModelLag(store, projections.position, now).catch(() => null);
    if (lag) {
      m.head.set(Math.max(lag.head, 0));
      for (const projection of projections.projections) {
        m.lagPositions.set({ projection: projection.name }, lag.positions);
        m.lagSeconds.set({ projection: projection.name }, lag.ms / 1000);
      }
    }
    m.overdue.reset();
    for (const { institution, count } of overdueByInstitution(readDb)) m.overdue.set({ institution }, count);
    if (redis) m.redisUp.set(redis.status === 'ready' ? 1 : 0);
    const stats = (store as { stats?: { commits: number; appends: number } }).stats;
    if (stats) {
      // Counters only go up: move them by what the store counted since the last scrape.
      await catchUp(m.commits, stats.commits);
      await catchUp(m.committedAppends, stats.appends);
    }
    await catchUp(m.rebuilds, projections.rebuilds);
  }
}

/** Moves a label-less counter up to a total counted elsewhere (counters only go up). */
async function catchUp(counter: PortalMetrics['commits'], total: number): Promise<void> {
  const current = (await counter.get()).values[0]?.value ?? 0;
  if (total > current) counter.inc(total - current);
}
