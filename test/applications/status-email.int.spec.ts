import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { statusEmailsSettled } from '../../src/app/applications/notify.js';
import { applicationStream } from '../../src/domain/shared/streams.js';
import { type LoopbackSmtp, startLoopbackSmtp } from '../support/smtp-server.js';
import { type CaseApp, MUTATIONS, startCaseApp } from './support.js';

/** A foreign national: the one applicant whose e-mail address is in the application itself. */
const applicant = (email: string, documentIds: string[]) => ({
  input: {
    serviceId: 'DKM-RESIDENCE-PERMIT',
    passportNumber: 'YA1234567',
    nationality: 'IT',
    fullName: 'Giulia Rossi',
    email,
    documentIds,
  },
});

describe('status e-mails with SMTP_URL set', () => {
  let smtp: LoopbackSmtp;
  let t: CaseApp;

  beforeAll(async () => {
    smtp = await startLoopbackSmtp();
  });
  afterAll(async () => {
    await smtp.close();
  });
  beforeEach(async () => {
    t = await startCaseApp({ SMTP_URL: smtp.url });
  });
  afterEach(async () => {
    await t?.close();
  });

  const uploads = async () => [await t.upload(null), await t.upload(null), await t.upload(null)];
  const outcomes = async (id: string) =>
    (await t.services.store.readStream(applicationStream(id))).filter((e) =>
      e.type.startsWith('StatusEmail'),
    );

  it('sends each status change through SMTP, not the outbox, and records the delivery without the e-mail', async () => {
    const applied = await t.as(null, MUTATIONS.foreigner, applicant('giulia@example.it', await uploads()));
    const { id, trackingCode } = applied.data.applyAsForeigner;
    await t.as('dkm', MUTATIONS.assign, { id });
    await statusEmailsSettled(t.services);

    const mine = smtp.received.filter((m) => m.to.includes('giulia@example.it'));
    expect(mine).toHaveLength(2);
    expect(mine[0]!.raw).toContain(trackingCode);
    expect(mine[1]!.raw).toContain('is in review');
    expect(t.services.outbox.list('giulia@example.it')).toHaveLength(0);

    const recorded = await outcomes(id);
    expect(recorded.map((e) => [e.type, e.data.status])).toEqual([
      ['StatusEmailDelivered', 'SUBMITTED'],
      ['StatusEmailDelivered', 'IN_REVIEW'],
    ]);
    expect(recorded[0]!.data.providerId).toBeTruthy();
    const stored = JSON.stringify(recorded);
    expect(stored).not.toContain('giulia@example.it');
    expect(stored).not.toContain(trackingCode);
  });

  it('records a refused mailbox as a failed delivery, and the application goes on', async () => {
    const applied = await t.as(null, MUTATIONS.foreigner, applicant('nobody@example.it', await uploads()));
    expect(applied.data.applyAsForeigner.status).toBe('SUBMITTED');
    await statusEmailsSettled(t.services);
    const [failed] = await outcomes(applied.data.applyAsForeigner.id);
    expect(failed).toMatchObject({
      type: 'StatusEmailDeliveryFailed',
      data: { status: 'SUBMITTED', retryable: false },
    });
    expect(failed!.data.error).toContain('550');
  });

  it('answers a caseworker before a slow mail server has taken the e-mail, then records the delivery', async () => {
    const applied = await t.as(null, MUTATIONS.foreigner, applicant('marco@example.it', await uploads()));
    const { id } = applied.data.applyAsForeigner;
    await statusEmailsSettled(t.services);
    let release: () => void = () => {};
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    smtp.holdWith(() => held);
    try {
      // 1. The mail server holds every message: were the e-mail awaited, this would never answer.
      const assigned = await t.as('dkm', MUTATIONS.assign, { id });
      expect(assigned.data.assignApplication.status).toBe('IN_REVIEW');
      expect((await outcomes(id)).map((e) => e.data.status)).toEqual(['SUBMITTED']);
    } finally {
      // 2. Once it takes the message, the delivery is recorded as usual.
      release();
      smtp.holdWith(() => Promise.resolve());
    }
    await statusEmailsSettled(t.services);
    expect((await outcomes(id)).map((e) => [e.type, e.data.status])).toEqual([
      ['StatusEmailDelivered', 'SUBMITTED'],
      ['StatusEmailDelivered', 'IN_REVIEW'],
    ]);
    expect(smtp.received.filter((m) => m.to.includes('marco@example.it'))).toHaveLength(2);
  });
});
