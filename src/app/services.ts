import type Database from 'better-sqlite3';
import type { AdjustableClock } from '../infra/clock.js';
import type { Config } from '../infra/config.js';
import type { BlobStore } from '../infra/documents/blob-store.js';
import type { EventStore } from '../infra/eventstore/port.js';
import type { Keys } from '../infra/keys.js';
import type { DevOutbox } from '../infra/notify/dev-outbox.js';
import type { Notifier } from '../infra/notify/notifier.js';
import type { PasswordHasher } from '../infra/password/argon2.js';
import type { RateLimiter } from '../infra/rate-limit/port.js';
import type { Registries } from '../infra/registry/port.js';
import type { SandboxRegistries } from '../infra/registry/sandbox.js';
import type { SessionStore } from '../infra/sessions/port.js';
import type { ProjectionRunner } from '../projections/runner.js';
import type { AuditServices } from './audit/audit-services.js';
import type { CommandHandler } from './command-handler.js';
import type { JobScheduler } from './jobs/scheduler.js';
import type { Logger } from './logger.js';
import type { Operations } from './ops/operations.js';

export type { Logger } from './logger.js';

/**
 * Everything a request or a job needs, built once per process. The composition root
 * (src/bootstrap/services.ts) builds it; tests build it with a temporary DATA_DIR and may replace
 * parts (the clock, the store) through its overrides.
 */
export interface Services {
  config: Config;
  clock: AdjustableClock;
  store: EventStore;
  commands: CommandHandler;
  readDb: Database.Database;
  projections: ProjectionRunner;
  keys: Keys;
  /** The development outbox; null in production, where real senders are required. */
  outbox: DevOutbox | null;
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
  /** Readiness (/ready) and metrics (/metrics). */
  ops: Operations;
  /** Stops everything; the last append is the closing audit checkpoint, covering every event of the run. */
  close(): Promise<void>;
}
