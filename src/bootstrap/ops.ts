import type Database from 'better-sqlite3';
import type { JobScheduler } from '../app/jobs/scheduler.js';
import { type Operations, openOperations } from '../app/ops/operations.js';
import type { Config } from '../infra/config.js';
import type { EventStore } from '../infra/eventstore/port.js';
import { countAppended } from '../infra/metrics/event-counters.js';
import { instrumentStore, timedSender } from '../infra/metrics/instrumented.js';
import { createPortalMetrics, type PortalMetrics } from '../infra/metrics/portal-metrics.js';
import type { Sender } from '../infra/notify/port.js';
import { leaseRedis } from '../infra/redis.js';
import { institutionOfApplication } from '../projections/application-counts.js';
import type { ProjectionRunner } from '../projections/runner.js';

/**
 * The operations wiring of one instance: the metrics (unless METRICS=off), the measured event store
 * and senders, and readiness. Built in two steps because the store is measured before the services
 * that use it exist, and readiness needs the read models, which need the store.
 */
export function prepareOps(config: Config, readDb: Database.Database) {
  const metrics: PortalMetrics | null = config.METRICS ? createPortalMetrics() : null;
  return {
    metrics,
    measureStore(store: EventStore): EventStore {
      if (!metrics) return store;
      return instrumentStore(store, metrics, (events) =>
        countAppended(metrics, events, { institutionOf: (id) => institutionOfApplication(readDb, id) }),
      );
    },
    /** For the command handler: each refused append, retried or given up. */
    onConflict: metrics
      ? (outcome: 'retried' | 'exhausted') => metrics.commandRetries.inc({ outcome })
      : undefined,
    measureSender: metrics
      ? (channel: string, sender: Sender) => timedSender(channel, sender, metrics)
      : undefined,
    /** Readiness and the scrape, once the read models and jobs exist; close() releases Redis. */
    open(parts: {
      store: EventStore;
      projections: ProjectionRunner;
      jobs: JobScheduler;
      now?: () => number;
    }): Operations & { close(): Promise<void> } {
      // The process's shared connection (the one sessions and limits use): its state is theirs.
      const lease = config.REDIS_URL ? leaseRedis(config.REDIS_URL) : null;
      const onRedisError = () => metrics?.redisErrors.inc();
      if (metrics) lease?.redis.on('error', onRedisError);
      if (metrics)
        parts.jobs.onRun(({ job, outcome, ms, at }) => {
          metrics.jobRuns.inc({ job, outcome });
          metrics.jobDuration.set({ job }, ms / 1000);
          metrics.jobLastRun.set({ job }, at.getTime() / 1000);
        });
      const operations = openOperations({
        metrics,
        store: parts.store,
        projections: parts.projections,
        readDb,
        redis: lease?.redis ?? null,
        maxLagMs: config.READY_MAX_LAG_MS,
        now: parts.now ?? Date.now,
      });
      return {
        ...operations,
        async close() {
          lease?.redis.off('error', onRedisError);
          await lease?.release();
        },
      };
    },
  };
}
