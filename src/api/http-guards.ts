import cors from '@fastify/cors';
import rateLimit from '@fastify/rate-limit';
import underPressure from '@fastify/under-pressure';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import helmet from 'helmet';
import type { Services } from '../app/services.js';
import { ApiError, rateLimited } from './errors.js';

/** Paths a load balancer or monitor polls: never limited, never shed (they report on the shedding). */
const PROBES = new Set(['/health', '/ready', '/metrics']);
const isProbe = (request: FastifyRequest) => PROBES.has(request.url.split('?')[0] ?? '');

const MINUTE_MS = 60_000;
/** What a shed request is told: the event loop is measured again every second. */
const SHED_RETRY_AFTER_SECONDS = 5;

/**
 * @fastify/rate-limit's store over the portal's own limiter: Redis when REDIS_URL is set (shared by
 * every instance), else in process; its windows read the server clock like every other limit.
 */
function portalStore(services: Services) {
  return class PortalRateLimitStore {
    incr(
      key: string,
      done: (error: Error | null, result?: { current: number; ttl: number }) => void,
      timeWindow: number,
      max: number,
    ) {
      const now = services.clock.now();
      services.rateLimits.hit(`http-ip:${key}`, max, timeWindow, now).then(
        (decision) => {
          const windowEnd = (Math.floor(now.getTime() / timeWindow) + 1) * timeWindow;
          done(null, {
            current: decision.allowed ? max - decision.remaining : max + 1,
            ttl: decision.allowed ? windowEnd - now.getTime() : decision.retryAfterSeconds * 1000,
          });
        },
        (error: Error) => done(error),
      );
    }
    child() {
      return this;
    }
  };
}

/** The host a request was sent to, when it is a plain host[:port] (it is written into a header). */
const requestHost = (request: { headers: { host?: string } }) => {
  const host = request.headers.host;
  return host && /^[A-Za-z0-9.-]+(:\d{1,5})?$|^\[[0-9A-Fa-f:.]+\](:\d{1,5})?$/.test(host) ? host : null;
};

/**
 * What every request meets before its route: security headers (helmet), CORS limited to
 * PORTAL_ORIGINS (@fastify/cors), a per-address request limit (@fastify/rate-limit) and load
 * shedding when the event loop lags (@fastify/under-pressure). Registered on the root instance
 * before any route, so every route, /graphql's websocket upgrade included, is behind them.
 */
export async function httpGuards(app: FastifyInstance, services: Services) {
  const { config } = services;

  // helmet itself, its middleware built once: @fastify/helmet builds it again on every request
  // (parsing the policy each time: 8.6% of the server's CPU under GraphQL reads in the suite's profile).
  const securityHeaders = helmet({
    // The API and the reference portal served at / from this origin: its own scripts and styles,
    // and requests to itself over HTTP and websockets. GraphiQL sets a policy of its own.
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", 'data:'],
        connectSrc: [
          "'self'",
          (request) => (requestHost(request) ? `ws://${requestHost(request)}` : "'self'"),
          (request) => (requestHost(request) ? `wss://${requestHost(request)}` : "'self'"),
        ],
        frameAncestors: ["'none'"],
        formAction: ["'self'"],
        objectSrc: ["'none'"],
        baseUri: ["'none'"],
      },
    },
  });
  // onRequest, before any other hook of a route (as @fastify/helmet did): refusals carry the headers too.
  app.addHook('onRequest', (request, reply, done) => {
    securityHeaders(request.raw, reply.raw, (error?: unknown) => done(error as Error | undefined));
  });

  await app.register(cors, {
    // None by default: same-origin requests need no CORS, and no other site is allowed.
    origin: config.PORTAL_ORIGINS.length > 0 ? config.PORTAL_ORIGINS : false,
    methods: ['GET', 'POST'],
    allowedHeaders: ['authorization', 'content-type', 'x-portal-request', 'x-request-id'],
    exposedHeaders: ['x-request-id', 'retry-after'],
    // The session cookie is SameSite=Strict, so another site's page never sends it: front ends on
    // another site use the bearer header, and credentials are not allowed across sites.
    credentials: false,
    maxAge: 600,
  });

  await app.register(rateLimit, {
    global: true,
    max: config.LIMIT_REQUESTS_PER_IP_PER_MINUTE,
    timeWindow: MINUTE_MS,
    store: portalStore(services),
    allowList: (request) => isProbe(request),
    // Fails open: this is a flood guard for the whole site, and with Redis down it would otherwise
    // refuse every request. The limits that guard secrets (sign-in per IP, codes per account) fail
    // closed on their own, and the lockout lives in the event stream.
    skipOnError: true,
    keyGenerator: (request) => request.ip,
    // The limit itself is the answer; the headers of every allowed request are noise.
    addHeadersOnExceeding: {
      'x-ratelimit-limit': false,
      'x-ratelimit-remaining': false,
      'x-ratelimit-reset': false,
    },
    addHeaders: {
      'x-ratelimit-limit': false,
      'x-ratelimit-remaining': false,
      'x-ratelimit-reset': false,
      'retry-after': true,
    },
    errorResponseBuilder: (_request, context) => rateLimited(Math.max(1, Math.ceil(context.ttl / 1000))),
  });

  // 0 turns shedding off (under-pressure checks the delay only when it is above 0).
  await app.register(underPressure, {
    maxEventLoopDelay: config.LOAD_SHED_EVENT_LOOP_DELAY_MS,
    // Answers itself (fastify stops a request whose reply is sent); probes pass on to their route.
    pressureHandler: (request, reply) => {
      if (isProbe(request)) return;
      request.log.warn('shedding load: the event loop lags');
      const refusal = new ApiError('UNAVAILABLE', 'The server is overloaded; try again shortly.');
      reply
        .status(refusal.status)
        .header('retry-after', String(SHED_RETRY_AFTER_SECONDS))
        .send({ error: refusal.code, message: refusal.message });
      return Promise.resolve();
    },
  });
}
