import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance, FastifyServerOptions } from 'fastify';
import { buildApp } from '../../src/api/app.js';
import { createServices, type ServiceOverrides } from '../../src/bootstrap/services.js';
import { AdjustableClock, ManualClock } from '../../src/infra/clock.js';
import { loadConfig } from '../../src/infra/config.js';
import type { TestServices } from '../support/harness.js';

export interface OpsApp {
  app: FastifyInstance;
  services: TestServices;
  clock: AdjustableClock;
  dataDir: string;
  // biome-ignore lint/suspicious/noExplicitAny: GraphQL answers are checked field by field in the tests.
  gql<T = any>(
    query: string,
    variables?: Record<string, unknown>,
    options?: { token?: string; headers?: Record<string, string> },
  ): Promise<{ data: T; errors?: Array<{ message: string; extensions?: Record<string, unknown> }> }>;
  close(): Promise<void>;
}

/**
 * The test harness's app (test/support/harness.ts), with what the operations tests replace besides:
 * the store, the wall clock readiness reads, the data directory (to open the store on it first).
 */
export async function startOpsApp(
  env: Record<string, string> = {},
  options: {
    overrides?: (dataDir: string) => ServiceOverrides;
    logger?: FastifyServerOptions['logger'];
  } = {},
): Promise<OpsApp> {
  const dataDir = mkdtempSync(join(tmpdir(), 'portal-ops-'));
  const config = loadConfig({
    NODE_ENV: 'test',
    DATA_DIR: dataDir,
    DEV_TOOLS: '1',
    PORTAL_SECRET: 'test-secret-test-secret-test-secret-0123456789',
    ARGON2_MEMORY_KIB: '1024',
    ARGON2_TIME_COST: '1',
    // Checkpoints only when a test asks: counters must move by what the flows did, not by a timer.
    AUDIT_CHECKPOINT_EVERY_MS: '3600000',
    ...env,
  });
  const clock = new AdjustableClock(new ManualClock());
  const services = await createServices(config, { clock, ...options.overrides?.(dataDir) });
  const app = await buildApp({ services, ...(options.logger ? { logger: options.logger } : {}) });
  await app.ready();
  return {
    app,
    services: services as TestServices,
    clock,
    dataDir,
    async gql(query, variables = {}, gqlOptions = {}) {
      const response = await app.inject({
        method: 'POST',
        url: '/graphql',
        headers: {
          'content-type': 'application/json',
          ...(gqlOptions.token ? { authorization: `Bearer ${gqlOptions.token}` } : {}),
          ...gqlOptions.headers,
        },
        payload: { query, variables },
      });
      return response.json();
    },
    async close() {
      await app.close();
      await services.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Asks `probe` again until it holds, for at most `ms`; the last answer is returned either way. */
export async function eventually<T>(probe: () => Promise<T>, holds: (value: T) => boolean, ms = 15_000) {
  const deadline = Date.now() + ms;
  let value = await probe();
  while (!holds(value) && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 50));
    value = await probe();
  }
  return value;
}
