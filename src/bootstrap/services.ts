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
import { ensurePrivateDir, ensurePrivateFile } from '../infra/private-files.js';
import { claimReadModelFile } from '../infra/read-model-file.js';
import { lowerThreadpoolPriority } from '../infra/thread-priority.js';
import { allProjections } from '../projections/index.js';
import { ProjectionRunner } from '../projections/runner.js';
import { openAdapters } from './adapters.js';
import { prepareOps } from './ops.js';

export interface ServiceOverrides {
  clock?: AdjustableClock;
  store?: EventStore;
  log?: Logger;
  /** Tests: a password hasher whose timing they control. */
  passwords?: PasswordHasher;
  /**
   * The read-model file under DATA_DIR. Unset, the instance claims the first free slot
   * (readmodels.sqlite, readmodels-2.sqlite, ...: src/infra/read-model-file.ts), so processes sharing
   * a DATA_DIR each keep their own; tests may name one.
   */
  readModelFile?: string;
  /** Tests: the wall clock readiness judges read-model lag by (the store stamps events with it). */
  wallClock?: () => number;
}

async function openStore(config: Config): Promise<EventStore> {
  if (config.EVENTSTORE_URL) {
    const { openKurrentEventStore } = await import('../infra/eventstore/kurrentdb.js');
    return openKurrentEventStore(config.EVENTSTORE_URL);
  }
  return openSqliteEventStore({
    file: join(config.DATA_DIR, 'events.sqlite'),
    testFaults: config.TEST_FAULTS,
  });
}

export async function createServices(config: Config, overrides: ServiceOverrides = {}): Promise<Services> {
  const log = overrides.log ?? silentLogger;
  // With EventStoreDB nothing else creates it, yet read models, uploads and the outbox live there.
  ensurePrivateDir(config.DATA_DIR);
  const clock = overrides.clock ?? new AdjustableClock();
  // Before any password is hashed: see thread-priority.ts.
  await lowerThreadpoolPriority(config.THREADPOOL_NICE);
  const opened = overrides.store ?? (await openStore(config));
  const secret = config.PORTAL_SECRET ?? loadOrCreateDevSecret(config.DATA_DIR);
  // Read models are a cache of this instance: rebuildable from the log at any time.
  // Each process its own file (a slot held while it lives): see read-model-file.ts.
  const claim = overrides.readModelFile ? null : claimReadModelFile(config.DATA_DIR);
  const readModelFile = claim?.file ?? join(config.DATA_DIR, overrides.readModelFile!);
  ensurePrivateFile(readModelFile);
  const readDb = new Database(readModelFile);
  log.info(
    { readModels: readDb.name, documents: config.DOCUMENTS_DIR ?? join(config.DATA_DIR, 'documents') },
    'read models and documents',
  );
  readDb.pragma('journal_mode = WAL');
  readDb.pragma('synchronous = NORMAL');
  const ops = prepareOps(config, readDb);
  const store = ops.measureStore(opened);
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
    ...(ops.measureSender ? { measureSender: ops.measureSender } : {}),
  });
  const projections = new ProjectionRunner(readDb, store, allProjections());
  await projections.start();
  const jobs = new JobScheduler(log, openRunLock(config));
  const operations = ops.open({
    store,
    projections,
    jobs,
    ...(overrides.wallClock ? { now: overrides.wallClock } : {}),
  });
  const services: Services = {
    config,
    clock,
    store,
    commands: new CommandHandler(store, ops.onConflict ? { onConflict: ops.onConflict } : {}),
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
    blobs: new BlobStore(config.DOCUMENTS_DIR ?? join(config.DATA_DIR, 'documents')),
    jobs,
    audit: startAudit({
      config,
      store,
      clock,
      log,
      commands: () => services.commands,
      onCommitted: (listener) => projections.onCommitted(listener),
    }),
    ops: operations,
    async close() {
      operations.readiness.beginShutdown();
      await services.jobs.stop();
      await services.audit.stop();
      await projections.stop();
      await services.rateLimits.close();
      await adapters.close();
      await operations.close();
      outbox?.close();
      readDb.close();
      // Last of all appends: the closing checkpoint covers every event of this run (the window the
      // newest events could be removed in ends at a graceful shutdown).
      await services.audit.close();
      claim?.release();
      await store.close();
    },
  };
  registerApplicationJobs(services.jobs, services);
  registerAuditJobs(services.jobs, services);
  // The witness published where an outside system can keep it: a metric beside the log line.
  const witnessGauge = ops.metrics?.auditWitnessPosition;
  if (witnessGauge) {
    const latest = services.audit.latestWitness();
    if (latest) witnessGauge.set(latest.checkpointPosition);
    services.audit.onWitness((witness) => witnessGauge.set(witness.checkpointPosition));
  }
  return services;
}
