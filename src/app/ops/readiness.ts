import type { EventStore } from '../../infra/eventstore/port.js';
import { readModelLag } from './read-model-lag.js';

/** What /ready answers: ready, or the causes that keep the instance out of the load balancer. */
export interface ReadinessReport {
  ready: boolean;
  /** One short cause per failing check, e.g. `store: not writable`; empty when ready. */
  causes: string[];
}

export interface ReadinessSources {
  store: Pick<EventStore, 'ping' | 'checkWritable' | 'headPosition' | 'readAll'>;
  readModels: { readonly position: number; readonly healthy: boolean };
  /** Redis where configured: its connection status, and a ping. */
  redis: { readonly status: string; ping(): Promise<unknown> } | null;
  maxLagMs: number;
  /** Wall-clock milliseconds, as the store stamps events (tests move it). */
  now: () => number;
  /** How long one check may take before it counts as failed. */
  checkTimeoutMs?: number;
}

const CHECK_TIMEOUT_MS = 2_000;

/** Rejects when `work` has not settled within `ms`: a check that hangs is a check that failed. */
function within<T>(work: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not answer within ${ms} ms`)), ms);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

/**
 * Readiness, apart from liveness (/health): whether this instance should get traffic now. Ready only
 * when the event store answers and can be written, the read models are within the lag limit of the
 * log's head, and Redis answers where configured; never again once a graceful shutdown has begun
 * (the load balancer must stop sending before the listener closes).
 */
export class Readiness {
  private stopping = false;

  constructor(private readonly sources: ReadinessSources) {}

  /** The first step of a graceful shutdown: from now on /ready answers 503. */
  beginShutdown(): void {
    this.stopping = true;
  }

  get shuttingDown(): boolean {
    return this.stopping;
  }

  async report(): Promise<ReadinessReport> {
    if (this.stopping) return { ready: false, causes: ['shutting down'] };
    const causes = (await Promise.all([this.storeCause(), this.readModelCause(), this.redisCause()])).filter(
      (cause): cause is string => cause !== null,
    );
    return { ready: causes.length === 0, causes };
  }

  private get timeoutMs(): number {
    return this.sources.checkTimeoutMs ?? CHECK_TIMEOUT_MS;
  }

  private async storeCause(): Promise<string | null> {
    const { store } = this.sources;
    try {
      await within(store.ping(), this.timeoutMs, 'the event store');
    } catch {
      return 'store: does not answer';
    }
    try {
      if (store.checkWritable) await within(store.checkWritable(), this.timeoutMs, 'the event store');
      return null;
    } catch {
      return 'store: cannot be written';
    }
  }

  private async readModelCause(): Promise<string | null> {
    const { readModels, store, maxLagMs, now } = this.sources;
    if (!readModels.healthy) return 'read models: stopped on an error';
    try {
      const lag = await within(readModelLag(store, readModels.position, now), this.timeoutMs, 'the log');
      return lag.ms > maxLagMs ? `read models: ${lag.ms} ms behind the log (limit ${maxLagMs} ms)` : null;
    } catch {
      // The store's own check names the cause; the lag cannot be known without it.
      return 'read models: lag unknown';
    }
  }

  private async redisCause(): Promise<string | null> {
    const { redis } = this.sources;
    if (!redis) return null;
    // Not connected: a ping would wait in ioredis's offline queue through its reconnection attempts.
    if (redis.status !== 'ready') return `redis: ${redis.status}`;
    try {
      await within(redis.ping(), this.timeoutMs, 'redis');
      return null;
    } catch {
      return 'redis: does not answer';
    }
  }
}
