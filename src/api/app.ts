import cookie from '@fastify/cookie';
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import { createAuthenticator } from '../app/account/authenticator.js';
import type { Services } from '../app/services.js';
import type { Authenticator } from '../app/viewer.js';
import { devToolsRoutes } from './dev-tools.js';
import { asApiError, ERROR_CODES } from './errors.js';
import { registerGraphql } from './graphql.js';
import { httpFeatures } from './http-features.js';
import { portalRoutes } from './portal-routes.js';

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
    logger: logger ? { ...(typeof logger === 'object' ? logger : {}), ...requestLogging } : false,
    trustProxy: trustedProxies(services.config.TRUST_PROXY),
    bodyLimit: 1024 * 1024,
  });

  app.setErrorHandler((error: Error & { statusCode?: number; code?: string }, request, reply) => {
    const known = asApiError(error);
    if (known) {
      if (known.code === 'RATE_LIMITED')
        reply.header('retry-after', String(known.extra.retryAfterSeconds ?? 60));
      return reply.status(known.status).send({ error: known.code, message: known.message });
    }
    const status = error.statusCode ?? 500;
    if (status >= 500) {
      request.log.error({ err: error }, 'unexpected error');
      return reply.status(500).send({ error: 'INTERNAL', message: 'Something went wrong on our side.' });
    }
    const code =
      status === 413
        ? 'TOO_LARGE'
        : status === 415
          ? 'BAD_REQUEST'
          : status === 404
            ? 'NOT_FOUND'
            : 'BAD_REQUEST';
    return reply.status(ERROR_CODES[code].status).send({ error: code, message: error.message });
  });
  app.setNotFoundHandler((_request, reply) =>
    reply.status(404).send({ error: 'NOT_FOUND', message: 'No such route.' }),
  );

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
  await app.register(async (scope) => portalRoutes(scope));
  return app;
}
