import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/harness.js';

describe('GET /health', () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await startTestApp();
  });
  afterEach(async () => {
    await t?.close().catch(() => {});
  });

  it('answers 200 while the event store answers', async () => {
    const response = await t.app.inject({ method: 'GET', url: '/health' });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ status: 'ok' });
  });

  it('answers 503 once the event store is closed', async () => {
    await t.services.store.close();
    const response = await t.app.inject({ method: 'GET', url: '/health' });
    expect(response.statusCode).toBe(503);
  });
});

describe('dev tools', () => {
  let t: TestApp;
  afterEach(async () => {
    await t?.close().catch(() => {});
  });

  it('moves the clock forward and refuses a negative step', async () => {
    t = await startTestApp();
    const before = (await t.app.inject({ method: 'GET', url: '/dev/clock' })).json().now;
    const advanced = await t.app.inject({
      method: 'POST',
      url: '/dev/clock/advance',
      payload: { ms: 3 * 3600_000 },
    });
    expect(advanced.statusCode).toBe(200);
    expect(Date.parse(advanced.json().now) - Date.parse(before)).toBe(3 * 3600_000);
    const refused = await t.app.inject({ method: 'POST', url: '/dev/clock/advance', payload: { ms: -1 } });
    expect(refused.statusCode).toBe(400);
    expect(refused.json().error).toBe('BAD_REQUEST');
  });

  it('does not exist when DEV_TOOLS is off', async () => {
    t = await startTestApp({ DEV_TOOLS: '0' });
    const response = await t.app.inject({ method: 'GET', url: '/dev/clock' });
    expect(response.statusCode).toBe(404);
  });
});
