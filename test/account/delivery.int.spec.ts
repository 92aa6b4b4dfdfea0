import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/infra/clock.js';
import { DevOutbox } from '../../src/infra/notify/dev-outbox.js';
import { type DeliveryEvent, Notifier } from '../../src/infra/notify/notifier.js';
import { DeliveryError, type Message, type Sender } from '../../src/infra/notify/port.js';
import { SmtpSender } from '../../src/infra/notify/smtp.js';
import { TwilioSender } from '../../src/infra/notify/twilio.js';
import { type LoopbackSmtp, startLoopbackSmtp } from '../support/smtp-server.js';

const silent = { warn() {}, error() {} };

describe('SMTP through a real SMTP server on loopback', () => {
  let smtp: LoopbackSmtp;
  beforeAll(async () => {
    smtp = await startLoopbackSmtp();
  });
  afterAll(async () => {
    await smtp.close();
  });

  it('delivers the message, and a refused mailbox is a failure that retrying cannot fix', async () => {
    const sender = new SmtpSender(smtp.url, 'no-reply@e-albania.al');
    const receipt = await sender.send({
      channel: 'EMAIL',
      to: 'arben@example.al',
      subject: 'Kodi',
      body: 'Kodi juaj: 123456',
    });
    expect(receipt.providerId).toBeTruthy();
    expect(smtp.received.at(-1)?.to).toEqual(['arben@example.al']);
    expect(smtp.received.at(-1)?.raw).toContain('123456');
    const refused = await sender
      .send({ channel: 'EMAIL', to: 'nobody@example.al', subject: 'x', body: 'y' })
      .catch((e) => e);
    expect(refused).toBeInstanceOf(DeliveryError);
    expect(refused.retryable).toBe(false);
    sender.close();
  });
});

describe('Twilio against a loopback server answering as the Messages API', () => {
  let server: Server;
  let base: string;
  const requests: Array<{ path: string; form: URLSearchParams; auth: string | undefined }> = [];
  let failNext: Array<{ status: number; code: number }> = [];
  const body = async (request: IncomingMessage) => {
    let text = '';
    for await (const chunk of request) text += chunk;
    return new URLSearchParams(text);
  };
  beforeAll(async () => {
    server = createServer(async (request, response) => {
      const form = await body(request);
      requests.push({ path: request.url ?? '', form, auth: request.headers.authorization });
      const failure = failNext.shift();
      response.setHeader('content-type', 'application/json');
      if (failure) {
        response.statusCode = failure.status;
        response.end(
          JSON.stringify({
            code: failure.code,
            message: 'refused',
            more_info: 'https://www.twilio.com/docs/errors',
            status: failure.status,
          }),
        );
        return;
      }
      response.statusCode = 201;
      response.end(
        JSON.stringify({
          sid: `SM${requests.length.toString().padStart(32, '0')}`,
          status: 'queued',
          to: form.get('To'),
          body: form.get('Body'),
        }),
      );
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });
  const sender = () =>
    new TwilioSender({ accountSid: 'AC123', authToken: 'secret-token', from: '+15005550006', apiUrl: base });

  it('posts the message to the account’s Messages resource', async () => {
    const receipt = await sender().send({
      channel: 'SMS',
      to: '+355691234567',
      subject: '',
      body: 'Kodi: 654321',
    });
    expect(receipt.providerId).toMatch(/^SM/);
    const last = requests.at(-1)!;
    expect(last.path).toBe('/2010-04-01/Accounts/AC123/Messages.json');
    expect(last.form.get('To')).toBe('+355691234567');
    expect(last.form.get('From')).toBe('+15005550006');
    expect(last.auth).toBe(`Basic ${Buffer.from('AC123:secret-token').toString('base64')}`);
  });

  it('an invalid number (400, code 21211) is not retryable; a 5xx is', async () => {
    failNext = [{ status: 400, code: 21211 }];
    const invalid = await sender()
      .send({ channel: 'SMS', to: '+3550', subject: '', body: 'x' })
      .catch((e) => e);
    expect(invalid).toBeInstanceOf(DeliveryError);
    expect(invalid.retryable).toBe(false);
    failNext = [{ status: 503, code: 20500 }];
    const down = await sender()
      .send({ channel: 'SMS', to: '+355691234567', subject: '', body: 'x' })
      .catch((e) => e);
    expect(down.retryable).toBe(true);
  });
});

describe('Notifier', () => {
  /** A sender that fails as told, then delivers. */
  class ScriptedSender implements Sender {
    sent: Message[] = [];
    constructor(private failures: DeliveryError[]) {}
    async send(message: Message) {
      const failure = this.failures.shift();
      if (failure) throw failure;
      this.sent.push(message);
      return { providerId: `p${this.sent.length}` };
    }
  }
  const messages: Message[] = [
    { channel: 'SMS', to: '+355691234567', subject: '', body: 'Kodi 111111', secrets: ['111111'] },
    { channel: 'EMAIL', to: 'a@example.al', subject: 'Kodi', body: 'Kodi 111111', secrets: ['111111'] },
  ];

  it('records each channel’s outcome, retries temporary failures with backoff, and gives up on permanent ones', async () => {
    const recorded: DeliveryEvent[] = [];
    const sms = new ScriptedSender([
      new DeliveryError('twilio: 503', true),
      new DeliveryError('twilio: 503', true),
    ]);
    const email = new ScriptedSender([new DeliveryError('smtp: 550', false)]);
    const notifier = new Notifier({
      senders: { SMS: sms, EMAIL: email },
      clock: new ManualClock(),
      log: silent,
      backoffMs: [1, 1, 1],
      async record(_delivery, events) {
        recorded.push(...events);
      },
    });
    notifier.send({ stream: 'account-x', accountId: 'x', challengeId: 'c', messages, correlationId: 'r1' });
    await notifier.idle();
    expect(recorded.map((e) => `${e.type}:${e.data.channel}:${e.data.attempt}`)).toEqual([
      'OtpDeliveryFailed:SMS:1',
      'OtpDeliveryFailed:EMAIL:1',
      'OtpDeliveryFailed:SMS:2',
      'OtpDelivered:SMS:3',
    ]);
    expect(sms.sent).toHaveLength(1);
    expect(email.sent).toHaveLength(0);
    expect(JSON.stringify(recorded)).not.toContain('111111');
  });

  it('stops after the last backoff step and says the failure is final', async () => {
    const recorded: DeliveryEvent[] = [];
    const failing = new ScriptedSender(Array.from({ length: 10 }, () => new DeliveryError('down', true)));
    const notifier = new Notifier({
      senders: { SMS: failing, EMAIL: new ScriptedSender([]) },
      clock: new ManualClock(),
      log: silent,
      backoffMs: [1, 1],
      async record(_delivery, events) {
        recorded.push(...events);
      },
    });
    notifier.send({ stream: 'account-x', accountId: 'x', challengeId: 'c', messages, correlationId: 'r1' });
    await notifier.idle();
    const smsFailures = recorded.filter((e) => e.type === 'OtpDeliveryFailed');
    expect(smsFailures).toHaveLength(3);
    expect(smsFailures.map((e) => (e.type === 'OtpDeliveryFailed' ? e.data.retryable : null))).toEqual([
      true,
      true,
      false,
    ]);
  });
});

describe('Dev outbox', () => {
  it('keeps messages in its file across a restart, and writes again after being closed', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'outbox-'));
    const file = join(dir, 'outbox.jsonl');
    try {
      const clock = new ManualClock(new Date('2026-11-27T10:00:00Z'));
      const first = new DevOutbox(clock, file);
      await first.send({ channel: 'SMS', to: '+355691234567', subject: 'Kodi', body: 'Kodi: 111111' });
      await first.send({ channel: 'EMAIL', to: 'Arben@Example.al', subject: 'Kodi', body: 'Kodi: 222222' });
      first.close();
      await first.send({ channel: 'SMS', to: '+355691234567', subject: 'Kodi', body: 'Kodi: 333333' });
      first.close();
      expect(readFileSync(file, 'utf8').trim().split('\n')).toHaveLength(3);
      const again = new DevOutbox(clock, file);
      expect(again.list('+355691234567').map((m) => m.body)).toEqual(['Kodi: 333333', 'Kodi: 111111']);
      expect(again.list('arben@example.al').map((m) => m.body)).toEqual(['Kodi: 222222']);
      again.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
