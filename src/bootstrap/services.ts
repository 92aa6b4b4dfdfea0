import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { startAudit } from '../app/audit/audit-services.js';
import { registerAuditJobs } from '../app/audit/scheduled-checks.js';
import { CommandHandler } from '../app/command-handler.js';
import { registerApplicationJobs } from '../app/jobs/application-jobs.js';
import { openRunLock } from '../app/jobs/run-lock.js';
import { JobScheduler } from '../app/jobs/scheduler.js';
import { type Logger, silentLogger } from '../app/logger.js';
import type { Services } from '../app/services.js';
import { AdjustableClock } from '../infra/clock.js';
import type { Config } from '../infra/config.js';
import { BlobStore } from '../infra/documents/blob-store.js';
import type { EventStore } from '../infra/eventstore/port.js';
import { openSqliteEventStore } from '../infra/eventstore/sqlite.js';
import { deriveKeys, loadOrCreateDevSecret } from '../infra/keys.js';
import { DevOutbox } from '../infra/notify/dev-outbox.js';
import type { PasswordHasher } from '../infra/password/argon2.js';
import { lowerThreadpoolPriority } from '../infra/thread-priority.js';
import { allProjections } from '../projections/index.js';
import { ProjectionRunner } from '../projections/runner.js';
import { openAdapters } from './adapters.js';

export interface ServiceOverrides {
  clock?: AdjustableClock;
  store?: EventStore;
  log?: Logger;
  /** Tests: a password hasher whose timing they control. */
  passwords?: PasswordHasher;
  /** Tests: shorter pauses before delivery retries. */
  notifierBackoffMs?: number[];
  /**
   * The read-model file under DATA_DIR (default readmodels.sqlite). Read models belong to one
   * instance, so a second instance on the same data directory (tests of several instances sharing
   * one SQLite log) needs a file of its own.
   */
  readModelFile?: string;
}

async function openStore(config: Config): Promise<EventStore> {
  if (config.EVENTSTORE_URL) {
    const { openKurrentEventStore } = await import('../infra/eventstore/kurrentdb.js');
    return openKurrentEventStore(config.EVENTSTORE_URL);
  }
  return openSqliteEventStore({ file: join(config.DATA_DIR, 'events.sqlite') });
}

export async function createServices(config: Config, overrides: ServiceOverrides = {}): Promise<Services> {
  const log = overrides.log ?? silentLogger;
  // With EventStoreDB nothing else creates it, yet read models, uploads and the outbox live there.
  mkdirSync(config.DATA_DIR, { recursive: true });
  const clock = overrides.clock ?? new AdjustableClock();
  // Before any password is hashed: see thread-priority.ts.
  await lowerThreadpoolPriority(config.THREADPOOL_NICE);
  const store = overrides.store ?? (await openStore(config));
  const secret = config.PORTAL_SECRET ?? loadOrCreateDevSecret(config.DATA_DIR);
  // Read models are a cache of this instance: rebuildable from the log at any time.
  const readDb = new Database(join(config.DATA_DIR, overrides.readModelFile ?? 'readmodels.sqlite'));
  readDb.pragma('journal_mode = WAL');
  readDb.pragma('synchronous = NORMAL');
  // Only outside production: there config requires SMTP and Twilio, and nothing may go to a file in clear.
  const outbox =
    config.NODE_ENV === 'production'
      ? null
      : new DevOutbox(clock, join(config.DATA_DIR, 'outbox.jsonl'), log);
  const adapters = openAdapters(config, {
    clock,
    outbox,
    log,
    commands: () => services.commands,
    ...(overrides.passwords ? { passwords: overrides.passwords } : {}),
    ...(overrides.notifierBackoffMs ? { notifierBackoffMs: overrides.notifierBackoffMs } : {}),
  });
  const projections = new ProjectionRunner(readDb, store, allProjections());
  await projections.start();
  const services: Services = {
    config,
    clock,
    store,
    commands: new CommandHandler(store),
    readDb,
    projections,
    keys: deriveKeys(secret),
    outbox,
    rateLimits: adapters.rateLimits,
    registries: adapters.registries,
    sandboxRegistries: adapters.sandboxRegistries,
    passwords: adapters.passwords,
    sessions: adapters.sessions,
    notifier: adapters.notifier,
    senders: adapters.notifier.senders,
    log,
    blobs: new BlobStore(config.DATA_DIR),
    jobs: new JobScheduler(log, openRunLock(config)),
    audit: startAudit({
      config,
      store,
      clock,
      log,
      commands: () => services.commands,
      onCommitted: (listener) => projections.onCommitted(listener),
    }),
    async close() {
      await services.jobs.stop();
      await services.audit.stop();
      await projections.stop();
      await services.rateLimits.close();
      await adapters.close();
      outbox?.close();
      readDb.close();
      await store.close();
    },
  };
  registerApplicationJobs(services.jobs, services);
  registerAuditJobs(services.jobs, services);
  return services;
}
