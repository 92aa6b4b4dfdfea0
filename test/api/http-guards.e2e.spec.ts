import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { REDIS_TEST_URL, redisAnswers, uniquePrefix } from '../account/redis-available.js';
import { startTestApp, type TestApp } from '../support/harness.js';

const redisUp = await redisAnswers();

const PORTAL = 'https://portal.example.al';

describe('HTTP guards', () => {
  let t: TestApp | undefined;
  afterEach(async () => {
    await t?.close();
    t = undefined;
  });

  it('sends security headers and a policy the same-origin portal can live with', async () => {
    t = await startTestApp();
    const answer = await t.app.inject({ method: 'GET', url: '/health', headers: { host: '127.0.0.1:3000' } });
    expect(answer.headers['x-content-type-options']).toBe('nosniff');
    expect(answer.headers['x-frame-options']).toBe('SAMEORIGIN');
    const csp = String(answer.headers['content-security-policy']);
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("style-src 'self'");
    expect(csp).toContain("connect-src 'self' ws://127.0.0.1:3000 wss://127.0.0.1:3000");
    expect(csp).toContain("frame-ancestors 'none'");
    // A forged Host header cannot write directives into the policy.
    const forged = await t.app.inject({
      method: 'GET',
      url: '/health',
      headers: { host: 'x; script-src *' },
    });
    expect(String(forged.headers['content-security-policy'])).not.toContain('script-src *');
    // Refusals carry them too: a path nobody serves, and a GraphQL request refused before it runs.
    const missing = await t.app.inject({
      method: 'GET',
      url: '/nothing-here',
      headers: { host: '127.0.0.1:3000' },
    });
    expect(missing.statusCode).toBe(404);
    expect(missing.headers['x-content-type-options']).toBe('nosniff');
    expect(String(missing.headers['content-security-policy'])).toContain("default-src 'self'");
    const refused = await t.app.inject({
      method: 'POST',
      url: '/graphql',
      headers: { host: '127.0.0.1:3000', 'content-type': 'text/plain' },
      payload: '{ me { id } }',
    });
    expect(refused.statusCode).toBeGreaterThanOrEqual(400);
    expect(refused.headers['x-content-type-options']).toBe('nosniff');
    expect(String(refused.headers['content-security-policy'])).toContain("frame-ancestors 'none'");
  });

  it('allows no other site by default, and exactly PORTAL_ORIGINS when set', async () => {
    const preflight = (origin: string) =>
      t!.app.inject({
        method: 'OPTIONS',
        url: '/graphql',
        headers: {
          origin,
          'access-control-request-method': 'POST',
          'access-control-request-headers': 'authorization, content-type',
        },
      });
    t = await startTestApp();
    expect((await preflight(PORTAL)).headers['access-control-allow-origin']).toBeUndefined();
    await t.close();
    t = await startTestApp({ PORTAL_ORIGINS: `${PORTAL},http://127.0.0.1:8080` });
    const allowed = await preflight(PORTAL);
    expect(allowed.headers['access-control-allow-origin']).toBe(PORTAL);
    const listed = (header: unknown) =>
      String(header)
        .split(',')
        .map((h) => h.trim());
    expect(listed(allowed.headers['access-control-allow-headers'])).toEqual([
      'authorization',
      'content-type',
      'x-portal-request',
      'x-request-id',
    ]);
    expect(allowed.headers['access-control-allow-credentials']).toBeUndefined();
    expect((await preflight('https://evil.example')).headers['access-control-allow-origin']).toBeUndefined();
    const answer = await t.app.inject({
      method: 'POST',
      url: '/graphql',
      headers: { origin: PORTAL, 'content-type': 'application/json' },
      payload: { query: '{ __typename }' },
    });
    expect(listed(answer.headers['access-control-expose-headers'])).toEqual(['x-request-id', 'retry-after']);
  });

  it('limits every request per address, in the contract shape with retry-after, probes excepted', async () => {
    t = await startTestApp({ LIMIT_REQUESTS_PER_IP_PER_MINUTE: '3' });
    const app = t.app;
    const statuses = [];
    for (const url of ['/graphql?query=%7B__typename%7D', '/dev/clock', '/no/such/route']) {
      statuses.push((await app.inject({ method: 'GET', url })).statusCode);
    }
    expect(statuses).toEqual([200, 200, 404]);
    const limited = await app.inject({
      method: 'POST',
      url: '/graphql',
      payload: { query: '{ __typename }' },
    });
    expect(limited.statusCode).toBe(429);
    expect(limited.json()).toEqual({ error: 'RATE_LIMITED', message: expect.stringContaining('try again') });
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect((await app.inject({ method: 'GET', url: '/no/such/route' })).statusCode).toBe(429);
    expect((await app.inject({ method: 'GET', url: '/health' })).statusCode).toBe(200);
    // Another address has its own count; the window follows the server clock.
    expect(
      (await app.inject({ method: 'GET', url: '/dev/clock', remoteAddress: '10.1.2.3' })).statusCode,
    ).toBe(200);
    t.clock.advance(60_000);
    expect((await app.inject({ method: 'GET', url: '/dev/clock' })).statusCode).toBe(200);
  });

  it.runIf(redisUp)('counts an address across instances that share Redis (REDIS_URL)', async () => {
    const shared = {
      REDIS_URL: REDIS_TEST_URL,
      REDIS_KEY_PREFIX: uniquePrefix(),
      LIMIT_REQUESTS_PER_IP_PER_MINUTE: '3',
    };
    t = await startTestApp(shared);
    const other = await startTestApp(shared);
    try {
      const get = (app: TestApp) => app.app.inject({ method: 'GET', url: '/dev/clock' });
      // Both test clocks stand at the same instant, so both instances count in the same window.
      const statuses = [await get(t), await get(other), await get(t), await get(other)].map(
        (a) => a.statusCode,
      );
      expect(statuses).toEqual([200, 200, 200, 429]);
    } finally {
      await other.close();
    }
  });

  it('sheds load with 503 in the contract shape while the event loop lags, probes excepted', async () => {
    t = await startTestApp({ LOAD_SHED_EVENT_LOOP_DELAY_MS: '1' });
    let answer = await t.app.inject({ method: 'GET', url: '/dev/clock' });
    // Block the event loop, then let the sampler (once a second) see it.
    for (let attempt = 0; attempt < 50 && answer.statusCode !== 503; attempt++) {
      const until = Date.now() + 100;
      while (Date.now() < until) {
        /* busy: the lag under-pressure measures */
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
      answer = await t.app.inject({ method: 'GET', url: '/dev/clock' });
    }
    expect(answer.statusCode).toBe(503);
    expect(answer.json()).toEqual({ error: 'UNAVAILABLE', message: expect.any(String) });
    expect(answer.headers['retry-after']).toBeDefined();
    expect((await t.app.inject({ method: 'GET', url: '/health' })).statusCode).toBe(200);
  });

  it('bounds header size and the time a request may take, uploads given more than a minute', async () => {
    t = await startTestApp();
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    const server = t.app.server;
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/health`;
    expect((await fetch(url, { headers: { 'x-padding': 'x'.repeat(8 * 1024) } })).status).toBe(200);
    expect((await fetch(url, { headers: { 'x-padding': 'x'.repeat(20 * 1024) } })).status).toBe(431);
    // 5 MiB at 1 Mbit/s takes about 42 s; slow headers and silent connections are cut sooner.
    expect(server.requestTimeout).toBeGreaterThanOrEqual(60_000);
    expect(server.headersTimeout).toBeLessThanOrEqual(15_000);
    expect(server.timeout).toBeGreaterThan(0);
    expect(server.keepAliveTimeout).toBeGreaterThan(0);
  });

  describe('websocket upgrade', () => {
    /** The answer to an upgrade with this Origin (or none): 'open', or the refusal's status. */
    const upgrade = (url: string, origin?: string) =>
      new Promise<string | number>((resolve) => {
        const socket = new WebSocket(url, 'graphql-transport-ws', origin ? { origin } : {});
        socket.on('open', () => {
          socket.close();
          resolve('open');
        });
        socket.on('unexpected-response', (_request, response) => resolve(response.statusCode ?? 0));
        socket.on('error', () => resolve('error'));
      });

    it('accepts its own origin, PORTAL_ORIGINS and non-browser clients; refuses other sites', async () => {
      t = await startTestApp({ PORTAL_ORIGINS: PORTAL });
      await t.app.listen({ port: 0, host: '127.0.0.1' });
      const port = (t.app.server.address() as AddressInfo).port;
      const url = `ws://127.0.0.1:${port}/graphql`;
      expect(await upgrade(url)).toBe('open');
      expect(await upgrade(url, `http://127.0.0.1:${port}`)).toBe('open');
      expect(await upgrade(url, PORTAL)).toBe('open');
      expect(await upgrade(url, 'https://evil.example')).toBe(403);
      expect(await upgrade(url, `http://127.0.0.1:${port + 1}`)).toBe(403);
      expect(await upgrade(url, 'null')).toBe(403);
    });
  });
});
