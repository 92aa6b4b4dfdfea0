import { afterEach, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/harness.js';

const witnessGauge = async (t: TestApp): Promise<number | null> => {
  const scraped = await t.app.inject({ method: 'GET', url: '/metrics', remoteAddress: '127.0.0.1' });
  const line = scraped.body.split('\n').find((l) => l.startsWith('portal_audit_witness_position '));
  return line ? Number(line.split(' ')[1]) : null;
};

describe('the audit witness as a metric', () => {
  let t: TestApp | undefined;
  afterEach(async () => {
    await t?.close();
    t = undefined;
  });

  it('publishes the position of each new signed checkpoint', async () => {
    t = await startTestApp({ AUDIT_CHECKPOINT_EVERY_MS: '3600000' });
    const before = t.services.audit.latestWitness()?.checkpointPosition ?? 0;
    expect((await witnessGauge(t)) ?? 0).toBe(before);
    // Something to cover, then a checkpoint written now (as the clock or a shutdown would).
    await t.app.inject({
      method: 'POST',
      url: '/graphql',
      headers: { 'content-type': 'application/json' },
      payload: {
        query:
          'mutation { startLogin(identifier: "J00101999W", password: "wrong-password-1") { __typename } }',
      },
    });
    await t.services.audit.checkpoints.writeNow();
    const witness = t.services.audit.latestWitness();
    expect(witness?.checkpointPosition).toBeGreaterThan(before);
    expect(await witnessGauge(t)).toBe(witness?.checkpointPosition);
  });
});
