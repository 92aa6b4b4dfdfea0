import { BlockList, isIP } from 'node:net';
import Fastify, { type FastifyInstance, type FastifyReply } from 'fastify';
import type { Services } from '../app/services.js';
import { inRequestScope } from '../infra/log-context.js';
import { requestOutcomes } from './request-outcomes.js';

/** Probes an orchestrator or Prometheus sends every few seconds: their log lines go to debug. */
const PROBES = new Set(['/health', '/ready', '/metrics']);

/** The addresses of METRICS_ALLOW as one test; IPv4-mapped IPv6 addresses are judged as IPv4. */
export function addressAllowed(entries: readonly string[]): (ip: string) => boolean {
  const list = new BlockList();
  for (const entry of entries) {
    const [address = '', bits] = entry.split('/');
    const type = isIP(address) === 6 ? 'ipv6' : 'ipv4';
    if (bits === undefined) list.addAddress(address, type);
    else list.addSubnet(address, Number(bits), type);
  }
  return (ip) => {
    const address = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip)?.[1] ?? ip;
    const family = isIP(address);
    return family !== 0 && list.check(address, family === 6 ? 'ipv6' : 'ipv4');
  };
}

async function sendMetrics(services: Services, reply: FastifyReply) {
  const { contentType, body } = await services.ops.scrape();
  return reply.header('content-type', contentType).send(body);
}

/**
 * The operations side of the HTTP app: the request id on every answer, one log line per request, the
 * request metrics, `/ready`, and `/metrics` when it is served on the main port. Hooks go on the root
 * instance, so they see every route, whichever plugin declares it.
 */
export async function registerOps(app: FastifyInstance, services: Services): Promise<void> {
  const { metrics, readiness } = services.ops;
  const { config } = services;

  // Callback style on purpose: the rest of the request's life runs inside `done`, so in its scope.
  app.addHook('onRequest', (request, reply, done) => {
    reply.header('x-request-id', request.id);
    inRequestScope(request.id, done);
  });

  app.addHook('onResponse', async (request, reply) => {
    const done = requestOutcomes(request, reply);
    const seconds = reply.elapsedTime / 1000;
    if (metrics) {
      for (const { root, outcome } of done) {
        metrics.requests.observe({ root, outcome }, seconds);
        if (root === 'Mutation.startLogin' && outcome === 'RateLimited')
          metrics.signIns.inc({ outcome: 'rate_limited' });
        if (root === 'POST /documents')
          metrics.uploads.inc({ result: outcome === 'ok' ? 'accepted' : outcome });
      }
    }
    const path = request.url.split('?')[0] ?? '';
    const line = {
      method: request.method,
      path,
      status: reply.statusCode,
      roots: done.map((d) => d.root),
      outcome: done.map((d) => d.outcome).join(','),
      durationMs: Math.round(reply.elapsedTime * 10) / 10,
      ip: request.ip,
    };
    if (PROBES.has(path)) request.log.debug(line, 'request');
    else if (reply.statusCode >= 500) request.log.error(line, 'request');
    else request.log.info(line, 'request');
  });

  app.get('/ready', async (_request, reply) => {
    const report = await readiness.report();
    if (report.ready) return { status: 'ready' };
    return reply.status(503).send({ status: 'unavailable', causes: report.causes });
  });

  if (metrics && config.METRICS_PORT === undefined) {
    const allowed = addressAllowed(config.METRICS_ALLOW);
    app.get('/metrics', async (request, reply) => {
      // request.ip is the address after TRUST_PROXY: a client cannot claim loopback by a header.
      if (!allowed(request.ip))
        return reply.status(404).send({ error: 'NOT_FOUND', message: 'No such route.' });
      return sendMetrics(services, reply);
    });
  }
}

/**
 * `/metrics` alone, for METRICS_PORT: a port the operators' network reaches and the public one does not,
 * so no address list is needed on it.
 */
export async function buildMetricsServer(services: Services): Promise<FastifyInstance> {
  const server = Fastify({ logger: false });
  server.get('/metrics', async (_request, reply) => sendMetrics(services, reply));
  return server;
}
