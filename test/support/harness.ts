import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance, FastifyServerOptions } from 'fastify';
import { buildApp } from '../../src/api/app.js';
import type { Services } from '../../src/app/services.js';
import type { Authenticator } from '../../src/app/viewer.js';
import { createServices } from '../../src/bootstrap/services.js';
import { AdjustableClock, ManualClock } from '../../src/infra/clock.js';
import { loadConfig } from '../../src/infra/config.js';

export interface TestApp {
  app: FastifyInstance;
  services: Services;
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

/**
 * A whole app on a fresh temporary DATA_DIR with the dev tools on and cheap argon2 (the production
 * parameters are pinned by their own test). The clock starts at a fixed instant and moves only when
 * told, so expiry tests are exact.
 */
export async function startTestApp(
  env: Record<string, string> = {},
  options: { authenticator?: Authenticator; logger?: FastifyServerOptions['logger'] } = {},
): Promise<TestApp> {
  const dataDir = mkdtempSync(join(tmpdir(), 'portal-test-'));
  const config = loadConfig({
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
    ...env,
  });
  const clock = new AdjustableClock(new ManualClock());
  const services = await createServices(config, { clock });
  const app = await buildApp({
    services,
    ...(options.authenticator ? { authenticator: options.authenticator } : {}),
    ...(options.logger ? { logger: options.logger } : {}),
  });
  await app.ready();
  return {
    app,
    services,
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
    },
  };
}
