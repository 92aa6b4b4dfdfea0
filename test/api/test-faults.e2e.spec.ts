import { afterEach, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/harness.js';

/**
 * The fault injection of the fault tests (src/api/test-faults.ts) exists only where both TEST_FAULTS
 * and DEV_TOOLS are on; configuration refuses TEST_FAULTS in production (test/infra/config.unit.spec.ts).
 */
describe('POST /dev/faults/event-store', () => {
  let t: TestApp | undefined;
  afterEach(async () => {
    await t?.close();
    t = undefined;
  });
  const fault = (app: TestApp, value: string | null) =>
    app.app.inject({ method: 'POST', url: '/dev/faults/event-store', payload: { fault: value } });
  const write = async (app: TestApp) =>
    (await app.gql('mutation { startLogin(identifier: "I80715002N", password: "x") { __typename } }')) as {
      data?: unknown;
      errors?: Array<{ extensions?: { code?: string } }>;
    };

  it('is absent without DEV_TOOLS, even with TEST_FAULTS on', async () => {
    t = await startTestApp({ TEST_FAULTS: '1', DEV_TOOLS: '0' });
    expect((await fault(t, 'SQLITE_FULL')).statusCode).toBe(404);
  });

  it('is absent without TEST_FAULTS', async () => {
    t = await startTestApp();
    expect((await fault(t, 'SQLITE_FULL')).statusCode).toBe(404);
  });

  it('with both, makes writes fail as a full disk does, until lifted', async () => {
    t = await startTestApp({ TEST_FAULTS: '1' });
    const head = await t.services.store.headPosition();
    expect((await fault(t, 'SQLITE_FULL')).json()).toEqual({ fault: 'SQLITE_FULL' });
    expect((await write(t)).errors?.[0]?.extensions?.code).toBe('UNAVAILABLE');
    expect(await t.services.store.headPosition()).toBe(head);
    expect((await fault(t, null)).json()).toEqual({ fault: null });
    expect((await write(t)).errors).toBeUndefined();
    expect(await t.services.store.headPosition()).toBeGreaterThan(head);
  });
});
