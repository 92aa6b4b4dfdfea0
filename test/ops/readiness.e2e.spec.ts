import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { NO_STREAM } from '../../src/infra/eventstore/port.js';
import { startTestApp, type TestApp } from '../support/harness.js';
import { ControllableStore } from './controllable-store.js';
import { eventually } from './eventually.js';
import { OwnRedis } from './own-redis.js';

const redisServer = spawnSync('redis-server', ['--version']).status === 0;
if (!redisServer)
  console.warn(
    'redis-server is not installed: /ready is NOT tested with Redis stopped (apt-get install redis-server)',
  );

const ready = async (t: TestApp) => {
  const response = await t.app.inject({ method: 'GET', url: '/ready' });
  return { status: response.statusCode, body: response.json() as { status: string; causes?: string[] } };
};

describe('GET /ready', () => {
  let t: TestApp | undefined;
  let redis: OwnRedis | undefined;
  afterEach(async () => {
    await t?.close().catch(() => {});
    await redis?.stop();
    t = undefined;
    redis = undefined;
  });

  it('is ready when the store answers and can be written and the read models are at the head', async () => {
    t = await startTestApp();
    expect(await ready(t)).toEqual({ status: 200, body: { status: 'ready' } });
    // /health stays the liveness check beside it.
    expect((await t.app.inject({ method: 'GET', url: '/health' })).statusCode).toBe(200);
  });

  it('is not ready while the event store is closed, and ready again once it is open', async () => {
    let store: ControllableStore | undefined;
    t = await startTestApp(
      {},
      {
        overrides: (dataDir) => {
          store = new ControllableStore(join(dataDir, 'events.sqlite'));
          return { store };
        },
      },
    );
    expect((await ready(t)).status).toBe(200);
    await store!.closeNow();
    const closed = await ready(t);
    expect(closed.status).toBe(503);
    expect(closed.body.causes).toContain('store: does not answer');
    store!.reopen();
    expect(await ready(t)).toEqual({ status: 200, body: { status: 'ready' } });
  });

  it('is not ready while the read models are held back past READY_MAX_LAG_MS, and ready once they catch up', async () => {
    let store: ControllableStore | undefined;
    // The wall clock readiness reads: the test moves it instead of waiting five seconds.
    let skewMs = 0;
    t = await startTestApp(
      { READY_MAX_LAG_MS: '5000' },
      {
        overrides: (dataDir) => {
          store = new ControllableStore(join(dataDir, 'events.sqlite'));
          return { store, wallClock: () => Date.now() + skewMs };
        },
      },
    );
    store!.hold();
    const { position } = await t.services.store.append(
      `test-${randomUUID()}`,
      [{ id: randomUUID(), type: 'TestHappened', data: {}, metadata: {} }],
      NO_STREAM,
    );
    expect(t.services.projections.position).toBeLessThan(position);
    // Behind the head, but by less than the limit: still ready.
    expect((await ready(t)).status).toBe(200);
    skewMs = 6_000;
    const behind = await ready(t);
    expect(behind.status).toBe(503);
    expect(behind.body.causes?.[0]).toMatch(/^read models: \d+ ms behind the log \(limit 5000 ms\)$/);
    store!.release();
    await t.services.projections.waitFor(position);
    expect(await ready(t)).toEqual({ status: 200, body: { status: 'ready' } });
  });

  it.runIf(redisServer)(
    'is not ready while its Redis is stopped, and ready again when Redis is back',
    async () => {
      redis = await OwnRedis.start();
      t = await startTestApp({ REDIS_URL: redis.url, REDIS_KEY_PREFIX: `ops-test-${randomUUID()}:` });
      expect(
        (
          await eventually(
            () => ready(t!),
            (r) => r.status === 200,
          )
        ).status,
      ).toBe(200);
      await redis.stop();
      const down = await eventually(
        () => ready(t!),
        (r) => r.status === 503,
      );
      expect(down.status).toBe(503);
      expect(down.body.causes?.some((cause) => cause.startsWith('redis: '))).toBe(true);
      await redis.start();
      expect(
        await eventually(
          () => ready(t!),
          (r) => r.status === 200,
        ),
      ).toEqual({
        status: 200,
        body: { status: 'ready' },
      });
    },
  );

  it('is not ready from the first moment of a graceful shutdown, while /health still answers', async () => {
    t = await startTestApp();
    expect((await ready(t)).status).toBe(200);
    t.services.ops.readiness.beginShutdown();
    expect(await ready(t)).toEqual({
      status: 503,
      body: { status: 'unavailable', causes: ['shutting down'] },
    });
    expect((await t.app.inject({ method: 'GET', url: '/health' })).statusCode).toBe(200);
  });
});
