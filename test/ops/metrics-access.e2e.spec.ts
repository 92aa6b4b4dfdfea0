import { afterEach, describe, expect, it } from 'vitest';
import { buildMetricsServer } from '../../src/api/ops-routes.js';
import { startTestApp, type TestApp } from '../support/harness.js';

const metricsFrom = (t: TestApp, remoteAddress: string, headers: Record<string, string> = {}) =>
  t.app.inject({ method: 'GET', url: '/metrics', remoteAddress, headers });

describe('who may read /metrics', () => {
  let t: TestApp | undefined;
  afterEach(async () => {
    await t?.close();
    t = undefined;
  });

  it('by default only loopback, IPv4 and IPv6', async () => {
    t = await startTestApp();
    expect((await metricsFrom(t, '127.0.0.1')).statusCode).toBe(200);
    expect((await metricsFrom(t, '::1')).statusCode).toBe(200);
    const outside = await metricsFrom(t, '203.0.113.9');
    expect(outside.statusCode).toBe(404);
    expect(outside.body).not.toContain('portal_');
  });

  it('with METRICS_ALLOW set elsewhere, not even loopback; the listed range is let in', async () => {
    t = await startTestApp({ METRICS_ALLOW: '10.0.0.0/8, 192.0.2.7' });
    expect((await metricsFrom(t, '127.0.0.1')).statusCode).toBe(404);
    expect((await metricsFrom(t, '198.51.100.1')).statusCode).toBe(404);
    expect((await metricsFrom(t, '10.20.30.40')).statusCode).toBe(200);
    expect((await metricsFrom(t, '::ffff:192.0.2.7')).statusCode).toBe(200);
  });

  it('judges the client behind a trusted proxy, not the proxy', async () => {
    t = await startTestApp({ TRUST_PROXY: '127.0.0.1' });
    expect((await metricsFrom(t, '127.0.0.1', { 'x-forwarded-for': '203.0.113.9' })).statusCode).toBe(404);
    // An untrusted peer cannot claim loopback by the header.
    expect((await metricsFrom(t, '203.0.113.9', { 'x-forwarded-for': '127.0.0.1' })).statusCode).toBe(404);
  });

  it('with METRICS_PORT, only on that port', async () => {
    t = await startTestApp({ METRICS_PORT: '9464' });
    expect((await metricsFrom(t, '127.0.0.1')).statusCode).toBe(404);
    const server = await buildMetricsServer(t.services);
    try {
      const scraped = await server.inject({ method: 'GET', url: '/metrics' });
      expect(scraped.statusCode).toBe(200);
      expect(scraped.headers['content-type']).toContain('text/plain');
      expect(scraped.body).toContain('# TYPE portal_signin_outcomes_total counter');
    } finally {
      await server.close();
    }
  });

  it('with METRICS=off, nowhere, and nothing is measured; /ready stays', async () => {
    t = await startTestApp({ METRICS: 'off' });
    expect(t.services.ops.metrics).toBeNull();
    expect((await metricsFrom(t, '127.0.0.1')).statusCode).toBe(404);
    expect((await t.app.inject({ method: 'GET', url: '/ready' })).statusCode).toBe(200);
  });

  it('refuses a METRICS_ALLOW that is not addresses', async () => {
    await expect(startTestApp({ METRICS_ALLOW: 'localhost' })).rejects.toThrow(/METRICS_ALLOW/);
  });
});
