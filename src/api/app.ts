import cookie from '@fastify/cookie';
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import { createAuthenticator } from '../app/account/authenticator.js';
import type { Services } from '../app/services.js';
import type { Authenticator } from '../app/viewer.js';
import { devToolsRoutes } from './dev-tools.js';
import { graphiqlRoutes } from './graphiql.js';
import { registerGraphql } from './graphql.js';
import { handleHttpError } from './http-errors.js';
import { httpFeatures } from './http-features.js';
import { httpGuards } from './http-guards.js';
import { registerOps } from './ops-routes.js';
import { portalRoutes } from './portal-routes.js';
import { requestIdOptions } from './request-id.js';
import { SERVER_LIMITS } from './server-limits.js';
import { testFaultRoutes } from './test-faults.js';

export interface AppOptions {
  services: Services;
  authenticator?: Authenticator;
  logger?: FastifyServerOptions['logger'];
}

/**
 * What the request log keeps: method and path, never the query string (a tracking code in
 * `?trackingCode=` is a foreign applicant's only credential; a GraphQL GET carries its variables
 * there), never the credentials in headers.
 */
const requestLogging = {
  serializers: {
    req(request: { method: string; url: string; ip?: string }) {
      return { method: request.method, path: request.url.split('?')[0], ip: request.ip };
    },
  },
  redact: ['req.headers.authorization', 'req.headers.cookie'],
};

/** A hop count becomes the function fastify's types accept; addresses pass through. */
function trustedProxies(setting: string | number | false) {
  return typeof setting === 'number' ? (_address: string, hop: number) => hop < setting : setting;
}

/** Builds the HTTP app without listening: tests drive it with `inject`, main.ts listens. */
export async function buildApp({
  services,
  authenticator = createAuthenticator(services),
  logger = false,
}: AppOptions): Promise<FastifyInstance> {
  const app = Fastify({
    ...requestIdOptions,
    logger: logger ? { ...(typeof logger === 'object' ? logger : {}), ...requestLogging } : false,
    trustProxy: trustedProxies(services.config.TRUST_PROXY),
    bodyLimit: 1024 * 1024,
    ...SERVER_LIMITS,
  });

  app.setErrorHandler(handleHttpError);
  await httpGuards(app, services);
  app.setNotFoundHandler({ preHandler: app.rateLimit() }, (_request, reply) =>
    reply.status(404).send({ error: 'NOT_FOUND', message: 'No such route.' }),
  );

  await registerOps(app, services);
  await app.register(cookie);

  app.get('/health', async (_request, reply) => {
    try {
      await services.store.ping();
      if (!services.projections.healthy) throw new Error('read models stopped');
      return { status: 'ok' };
    } catch {
      return reply.status(503).send({ status: 'unavailable' });
    }
  });

  await registerGraphql(app, services, authenticator);
  for (const feature of httpFeatures)
    await app.register(async (scope) => feature(scope, services, authenticator));
  if (services.config.DEV_TOOLS) await app.register(async (scope) => devToolsRoutes(scope, services));
  // GraphiQL with DEV_TOOLS, which production refuses; checked here too, so it never ships there.
  if (services.config.DEV_TOOLS && services.config.NODE_ENV !== 'production')
    await app.register(graphiqlRoutes);
  if (services.config.TEST_FAULTS && services.config.DEV_TOOLS)
    await app.register(async (scope) => testFaultRoutes(scope, services));
  await app.register(async (scope) => portalRoutes(scope));
  return app;
}
