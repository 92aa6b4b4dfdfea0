import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance, FastifyServerOptions } from 'fastify';
import { buildApp } from '../../src/api/app.js';
import type { Logger } from '../../src/app/logger.js';
import type { Services } from '../../src/app/services.js';
import type { Authenticator } from '../../src/app/viewer.js';
import { createServices, type ServiceOverrides } from '../../src/bootstrap/services.js';
import { generateAuditKey } from '../../src/infra/audit-signing-key.js';
import { AdjustableClock, ManualClock } from '../../src/infra/clock.js';
import { loadConfig } from '../../src/infra/config.js';
import type { DevOutbox } from '../../src/infra/notify/dev-outbox.js';

/** Tests read codes from the dev outbox, which every non-production app has (null in production mode). */
export type TestServices = Services & { outbox: DevOutbox };

export interface TestApp {
  app: FastifyInstance;
  services: TestServices;
  clock: AdjustableClock;
  dataDir: string;
  /** POST /graphql; returns the parsed body. */
  // biome-ignore lint/suspicious/noExplicitAny: GraphQL answers are checked field by field in the tests.
  gql<T = any>(
    query: string,
    variables?: Record<string, unknown>,
    options?: { token?: string; headers?: Record<string, string> },
  ): Promise<{ data: T; errors?: Array<{ message: string; extensions?: Record<string, unknown> }> }>;
  close(): Promise<void>;
}

function productionAuditDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'portal-test-audit-'));
  writeFileSync(join(dir, 'audit.pem'), generateAuditKey().pem, { mode: 0o600 });
  return dir;
}

/**
 * A whole app on a fresh temporary DATA_DIR with the dev tools on and cheap argon2 (the production
 * parameters are pinned by their own test). The clock starts at a fixed instant and moves only when
 * told, so expiry tests are exact.
 */
export async function startTestApp(
  env: Record<string, string> = {},
  options: {
    authenticator?: Authenticator;
    logger?: FastifyServerOptions['logger'];
    /** The services' own log (notifier, jobs): silent unless a test reads it. */
    serviceLog?: Logger;
    /** What a test replaces in the services (the store, the clock readiness reads), given DATA_DIR. */
    overrides?: (dataDir: string) => ServiceOverrides;
  } = {},
): Promise<TestApp> {
  const dataDir = mkdtempSync(join(tmpdir(), 'portal-test-'));
  // Production keeps the audit's key and witness outside DATA_DIR: here, in a sibling temporary folder.
  const auditDir = env.NODE_ENV === 'production' ? productionAuditDir() : null;
  const config = loadConfig({
    ...(auditDir
      ? { AUDIT_SIGNING_KEY_FILE: join(auditDir, 'audit.pem'), AUDIT_WITNESS_DIR: join(auditDir, 'witness') }
      : {}),
    // Production starts only with real senders: loopback ones nobody answers (a test that sends sets its own).
    ...(auditDir
      ? {
          SMTP_URL: 'smtp://127.0.0.1:9',
          TWILIO_ACCOUNT_SID: 'AC-test',
          TWILIO_AUTH_TOKEN: 'twilio-test-token',
          TWILIO_FROM: '+355690000000',
          TWILIO_API_URL: 'http://127.0.0.1:9',
        }
      : {}),
    NODE_ENV: 'test',
    DATA_DIR: dataDir,
    DEV_TOOLS: '1',
    PORTAL_SECRET: 'test-secret-test-secret-test-secret-0123456789',
    ARGON2_MEMORY_KIB: '1024',
    ARGON2_TIME_COST: '1',
    // Suites fire thousands of requests from one address; the limit's own tests set it low.
    LIMIT_REQUESTS_PER_IP_PER_MINUTE: '1000000',
    // Off: a shared, loaded test machine is not an overload to shed (a loop blocked for a whole
    // sampling second counts as lagging without end); the shedding test turns it on.
    LOAD_SHED_EVENT_LOOP_DELAY_MS: '0',
    // Checkpoints only when a test asks (its clock, writeNow, or its own setting): the real-time timer
    // would otherwise append one in the middle of a test that counts what a request appended.
    AUDIT_CHECKPOINT_EVERY_MS: '3600000',
    ...env,
  });
  const clock = new AdjustableClock(new ManualClock());
  const services = await createServices(config, {
    clock,
    ...(options.serviceLog ? { log: options.serviceLog } : {}),
    ...options.overrides?.(dataDir),
  });
  const app = await buildApp({
    services,
    ...(options.authenticator ? { authenticator: options.authenticator } : {}),
    ...(options.logger ? { logger: options.logger } : {}),
  });
  await app.ready();
  return {
    app,
    services: services as TestServices,
    clock,
    dataDir,
    async gql(query, variables = {}, options = {}) {
      const response = await app.inject({
        method: 'POST',
        url: '/graphql',
        headers: {
          'content-type': 'application/json',
          ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
          ...options.headers,
        },
        payload: { query, variables },
      });
      return response.json();
    },
    async close() {
      await app.close();
      await services.close();
      rmSync(dataDir, { recursive: true, force: true });
      if (auditDir) rmSync(auditDir, { recursive: true, force: true });
    },
  };
}
