import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { AdjustableClock } from '../infra/clock.js';
import type { Config } from '../infra/config.js';
import { BlobStore } from '../infra/documents/blob-store.js';
import type { EventStore } from '../infra/eventstore/port.js';
import { openSqliteEventStore } from '../infra/eventstore/sqlite.js';
import { deriveKeys, type Keys, loadOrCreateDevSecret } from '../infra/keys.js';
import { DevOutbox } from '../infra/notify/dev-outbox.js';
import type { Notifier } from '../infra/notify/notifier.js';
import type { PasswordHasher } from '../infra/password/argon2.js';
import type { RateLimiter } from '../infra/rate-limit/port.js';
import type { Registries } from '../infra/registry/port.js';
import type { SandboxRegistries } from '../infra/registry/sandbox.js';
import type { SessionStore } from '../infra/sessions/port.js';
import { lowerThreadpoolPriority } from '../infra/thread-priority.js';
import { allProjections } from '../projections/index.js';
import { ProjectionRunner } from '../projections/runner.js';
import { openSignInInfra } from './account/sign-in-infra.js';
import { type AuditServices, startAudit } from './audit/audit-services.js';
import { registerAuditJobs } from './audit/scheduled-checks.js';
import { CommandHandler } from './command-handler.js';
import { registerApplicationJobs } from './jobs/application-jobs.js';
import { openRunLock } from './jobs/run-lock.js';
import { JobScheduler } from './jobs/scheduler.js';

export interface Logger {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

const silentLogger: Logger = { info() {}, warn() {}, error() {} };

/**
 * Everything a request or a job needs, built once per process. Tests build it with a temporary
 * DATA_DIR and may replace parts (the clock, the store) through `overrides`.
 */
export interface Services {
  config: Config;
  clock: AdjustableClock;
  store: EventStore;
  commands: CommandHandler;
  readDb: Database.Database;
  projections: ProjectionRunner;
  keys: Keys;
  outbox: DevOutbox;
  rateLimits: RateLimiter;
  /** Read-only registries; the sandbox unless REGISTRY_URL is set. */
  registries: Registries;
  /** The sandbox behind `registries` in development, for /dev/registry/*; null with REGISTRY_URL. */
  sandboxRegistries: SandboxRegistries | null;
  log: Logger;
  /** argon2id with the configured cost; a dummy verify for identifiers without an account. */
  passwords: PasswordHasher;
  /** Open sessions (Redis with REDIS_URL, else in process). */
  sessions: SessionStore;
  /** Sends codes by SMS and e-mail, records delivery outcomes, retries failures. */
  notifier: Notifier;
  /** The configured sender per channel (SMTP / Twilio, else the dev outbox): the notifier's own. */
  senders: Notifier['senders'];
  /** Uploaded documents under DATA_DIR/documents. */
  blobs: BlobStore;
  /** Scheduled jobs; main.ts starts them, tests run them with runNow. */
  jobs: JobScheduler;
  /** Audit checkpoints as the log grows, and verification of the whole log. */
  audit: AuditServices;
  close(): Promise<void>;
}

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
  const outbox = new DevOutbox(clock, join(config.DATA_DIR, 'outbox.jsonl'), log);
  const signIn = openSignInInfra(config, {
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
    rateLimits: signIn.rateLimits,
    registries: signIn.registries,
    sandboxRegistries: signIn.sandboxRegistries,
    passwords: signIn.passwords,
    sessions: signIn.sessions,
    notifier: signIn.notifier,
    senders: signIn.notifier.senders,
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
      await signIn.close();
      outbox.close();
      readDb.close();
      await store.close();
    },
  };
  registerApplicationJobs(services.jobs, services);
  registerAuditJobs(services.jobs, services);
  return services;
}
