import { expect, it } from 'vitest';
import { DeliveryRecorder } from '../../src/app/account/delivery-recorder.js';
import type { CodeDelivery, DeliveryEvent } from '../../src/infra/notify/notifier.js';

const delivery = (stream: string): CodeDelivery => ({
  stream,
  accountId: stream,
  challengeId: `${stream}.c`,
  messages: [],
  correlationId: `req-${stream}`,
});
const outcome = (stream: string, attempt: number): DeliveryEvent => ({
  type: 'OtpDelivered',
  data: {
    accountId: stream,
    challengeId: `${stream}.c`,
    channel: 'SMS',
    providerId: 'p',
    attempt,
    deliveredAt: '2026-11-27T08:00:00.000Z',
  },
});

it('starts a batch’s appends together, one per stream, and settles each record once its append is written', async () => {
  const writes: Array<{ stream: string; attempts: number[] }> = [];
  const recorder = new DeliveryRecorder(async (stream, _delivery, events) => {
    writes.push({ stream, attempts: events.map((e) => e.data.attempt) });
  }, 5);
  const records = [
    recorder.record(delivery('a'), [outcome('a', 1)]),
    recorder.record(delivery('b'), [outcome('b', 1)]),
    recorder.record(delivery('a'), [outcome('a', 2)]),
  ];
  expect(writes).toHaveLength(0);
  await Promise.all(records);
  expect(writes).toEqual([
    { stream: 'a', attempts: [1, 2] },
    { stream: 'b', attempts: [1] },
  ]);
});

it('a full batch goes at once, and a failed append rejects the records it held', async () => {
  const recorder = new DeliveryRecorder(
    async (stream) => {
      if (stream === 'bad') throw new Error('store down');
    },
    60_000,
    2,
  );
  const good = recorder.record(delivery('x'), [outcome('x', 1)]);
  const bad = recorder.record(delivery('bad'), [outcome('bad', 1)]);
  await expect(good).resolves.toBeUndefined();
  await expect(bad).rejects.toThrow('store down');
});
