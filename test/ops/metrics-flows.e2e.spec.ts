import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CommandConflictError, CommandHandler } from '../../src/app/command-handler.js';
import type { StreamModel } from '../../src/domain/shared/decider.js';
import type { DomainEvent } from '../../src/domain/shared/events.js';
import { COMPLETE_LOGIN, latestCode, registeredPerson, START_LOGIN, signIn } from '../account/flows.js';
import { MUTATIONS, startCaseApp } from '../applications/support.js';
import { ANSWER, START_RECOVERY, VERIFY_RECOVERY } from '../recovery/flows.js';
import { startTestApp, type TestApp } from '../support/harness.js';
import { Scrape } from './scrape.js';

/**
 * Scripted flows, and the counters each must move by exactly so much, read from /metrics by
 * test/ops/scrape.ts (promtool checks the format itself, in exposition.int.spec.ts). SMS go to a loopback Twilio that refuses every number as
 * invalid (code 21211, a permanent refusal): the failed deliveries.
 */
describe('metrics over scripted flows', () => {
  let twilio: Server;
  let smsRequests = 0;
  let t: TestApp;

  beforeAll(async () => {
    twilio = createServer((request, response) => {
      request.resume();
      request.on('end', () => {
        smsRequests += 1;
        response.statusCode = 400;
        response.setHeader('content-type', 'application/json');
        response.end(JSON.stringify({ code: 21211, message: 'invalid number', status: 400 }));
      });
    });
    await new Promise<void>((resolve) => twilio.listen(0, '127.0.0.1', resolve));
    t = await startTestApp({
      TWILIO_ACCOUNT_SID: 'AC123',
      TWILIO_AUTH_TOKEN: 'twilio-token',
      TWILIO_FROM: '+15005550006',
      TWILIO_API_URL: `http://127.0.0.1:${(twilio.address() as AddressInfo).port}`,
    });
  });
  afterAll(async () => {
    await t?.close();
    await new Promise<void>((resolve) => twilio.close(() => resolve()));
  });

  it('sign-in ok and wrong, a lock, a wrong code, a recovery, failed SMS: each counter moves by exactly its amount', async () => {
    const alba = await registeredPerson(t);
    const besa = await registeredPerson(t);
    await t.services.notifier.idle();
    const smsBefore = smsRequests;
    const emailsBefore =
      t.services.outbox.list(alba.email).length + t.services.outbox.list(besa.email).length;
    const before = await Scrape.of(t.app);

    // 1. Alba signs in (a password accepted, a code issued), then again with a wrong code.
    expect((await signIn(t, alba.nid, alba.password, alba.email)).__typename).toBe('SessionStarted');
    const second = (await t.gql(START_LOGIN, { identifier: alba.nid, password: alba.password })).data
      .startLogin;
    await t.services.notifier.idle();
    const right = latestCode(t, alba.email);
    const wrong = right === '000000' ? '111111' : '000000';
    const rejected = (await t.gql(COMPLETE_LOGIN, { challengeId: second.challengeId, code: wrong })).data
      .completeLogin;
    expect(rejected.__typename).toBe('CodeRejected');

    // 2. Besa types three wrong passwords (the third locks), then the right one during the lock.
    for (let i = 0; i < 3; i++)
      await t.gql(START_LOGIN, { identifier: besa.nid, password: `wrong-password-${i}` });
    const refused = (await t.gql(START_LOGIN, { identifier: besa.nid, password: besa.password })).data
      .startLogin;
    expect(refused.__typename).toBe('AccountLocked');

    // 3. Besa recovers during the lock: code, a wrong answer, the right one (a temporary password).
    const started = (await t.gql(START_RECOVERY, { identifier: besa.nid })).data.startPasswordRecovery;
    await t.services.notifier.idle();
    const verified = (
      await t.gql(VERIFY_RECOVERY, { recoveryId: started.recoveryId, code: latestCode(t, besa.email) })
    ).data.verifyRecoveryCode;
    expect(verified.next).toBe('ANSWER_SECURITY_QUESTION');
    const wrongAnswer = (await t.gql(ANSWER, { recoveryId: started.recoveryId, answer: 'Mira' })).data
      .answerSecurityQuestion;
    expect(wrongAnswer.__typename).toBe('AnswerRejected');
    const answered = (await t.gql(ANSWER, { recoveryId: started.recoveryId, answer: 'Drita' })).data
      .answerSecurityQuestion;
    expect(answered.__typename).toBe('RecoveryStep');
    await t.services.notifier.idle();
    // The delivery outcomes were just written; the read models apply them on the next turn.
    await t.services.projections.waitFor(await t.services.store.headPosition());

    const after = await Scrape.of(t.app);
    const moved = (name: string, labels: Record<string, string> = {}) => after.delta(before, name, labels);
    expect(moved('portal_signin_outcomes_total', { outcome: 'accepted' })).toBe(2);
    expect(moved('portal_signin_outcomes_total', { outcome: 'rejected' })).toBe(2);
    expect(moved('portal_signin_outcomes_total', { outcome: 'locked' })).toBe(1);
    expect(moved('portal_signin_outcomes_total', { outcome: 'refused_locked' })).toBe(1);
    expect(moved('portal_signin_outcomes_total', { outcome: 'rate_limited' })).toBe(0);
    expect(moved('portal_locks_total', { reason: 'TOO_MANY_WRONG_PASSWORDS' })).toBe(1);
    expect(moved('portal_locks_total')).toBe(1);
    // Codes: two sign-ins and one recovery.
    expect(moved('portal_codes_issued_total')).toBe(3);
    expect(moved('portal_codes_wrong_total')).toBe(1);
    expect(moved('portal_recovery_steps_total', { step: 'start', outcome: 'started' })).toBe(1);
    expect(moved('portal_recovery_steps_total', { step: 'code', outcome: 'accepted' })).toBe(1);
    expect(moved('portal_recovery_steps_total', { step: 'security_answer', outcome: 'rejected' })).toBe(1);
    expect(moved('portal_recovery_steps_total', { step: 'security_answer', outcome: 'accepted' })).toBe(1);
    expect(moved('portal_recovery_steps_total', { step: 'temporary_password', outcome: 'issued' })).toBe(1);
    // Every SMS the loopback Twilio refused is one failed delivery, none retried (the refusal is permanent);
    // every e-mail the outbox took is one delivered.
    const smsSent = smsRequests - smsBefore;
    expect(smsSent).toBeGreaterThanOrEqual(3);
    expect(moved('portal_deliveries_total', { channel: 'SMS', result: 'failed' })).toBe(smsSent);
    expect(moved('portal_deliveries_total', { channel: 'SMS', result: 'retried' })).toBe(0);
    expect(moved('portal_deliveries_total', { channel: 'SMS', result: 'delivered' })).toBe(0);
    const emailsSent =
      t.services.outbox.list(alba.email).length + t.services.outbox.list(besa.email).length - emailsBefore;
    expect(moved('portal_deliveries_total', { channel: 'EMAIL', result: 'delivered' })).toBe(emailsSent);
    expect(moved('portal_delivery_provider_seconds_count', { channel: 'SMS', result: 'failed' })).toBe(
      smsSent,
    );
    // Requests by root field and outcome: the six startLogin calls.
    const startLogin = (outcome: string) =>
      moved('portal_request_duration_seconds_count', { root: 'Mutation.startLogin', outcome });
    expect(startLogin('OtpSent')).toBe(2);
    expect(startLogin('LoginRejected')).toBe(2);
    expect(startLogin('AccountLocked')).toBe(2);
    expect(moved('portal_request_duration_seconds_count', { root: 'Mutation.completeLogin' })).toBe(2);
    // The store: the head the log has, nothing left to apply.
    expect(after.value('portal_eventstore_head_position')).toBe(await t.services.store.headPosition());
    expect(after.value('portal_projection_lag_positions', { projection: 'audit-log' })).toBe(0);
    expect(moved('portal_eventstore_conflicts_total')).toBe(0);
    expect(after.value('portal_ready')).toBe(1);
  });
});

describe('metrics over an application and uploads', () => {
  it('counts status changes by institution and uploads by result', async () => {
    const t = await startCaseApp();
    try {
      const before = await Scrape.of(t.app);
      await t.upload('arben');
      const refusedUpload = await t.app.inject({
        method: 'POST',
        url: '/documents',
        headers: { 'content-type': 'multipart/form-data; boundary=b', authorization: 'Bearer token-arben' },
        payload:
          '--b\r\nContent-Disposition: form-data; name="file"; filename="a.pdf"\r\nContent-Type: application/pdf\r\n\r\nnot a pdf at all\r\n--b--\r\n',
      });
      expect(refusedUpload.statusCode).toBe(415);
      const applied = (
        await t.as('arben', MUTATIONS.apply, { serviceId: 'DPGJC-PERSONAL-CERTIFICATE', formData: {} })
      ).data.applyForService;
      expect((await t.as('dpgjc1', MUTATIONS.assign, { id: applied.id })).data.assignApplication.status).toBe(
        'IN_REVIEW',
      );
      expect(
        (await t.as('dpgjc1', MUTATIONS.approve, { id: applied.id, note: 'Issued' })).data.approveApplication
          .status,
      ).toBe('APPROVED');
      const after = await Scrape.of(t.app);
      const status = (s: string) =>
        after.delta(before, 'portal_application_status_changes_total', { status: s, institution: 'DPGJC' });
      expect([status('SUBMITTED'), status('IN_REVIEW'), status('APPROVED'), status('REJECTED')]).toEqual([
        1, 1, 1, 0,
      ]);
      expect(after.delta(before, 'portal_application_status_changes_total')).toBe(3);
      expect(after.delta(before, 'portal_uploads_total', { result: 'accepted' })).toBe(1);
      expect(after.delta(before, 'portal_uploads_total', { result: 'NOT_PDF' })).toBe(1);
      expect(
        after.delta(before, 'portal_request_duration_seconds_count', {
          root: 'Mutation.approveApplication',
          outcome: 'Application',
        }),
      ).toBe(1);
    } finally {
      await t.close();
    }
  });
});

describe('rate-limited sign-ins', () => {
  it('count as rate_limited, apart from rejections', async () => {
    const t = await startTestApp({ LIMIT_SIGNIN_PER_IP_PER_MINUTE: '1' });
    try {
      const before = await Scrape.of(t.app);
      const answers = [];
      for (let i = 0; i < 2; i++)
        answers.push(
          (await t.gql(START_LOGIN, { identifier: 'J00101999W', password: `wrong-password-${i}` })).data
            .startLogin.__typename,
        );
      expect(answers).toEqual(['LoginRejected', 'RateLimited']);
      const after = await Scrape.of(t.app);
      expect(after.delta(before, 'portal_signin_outcomes_total', { outcome: 'rate_limited' })).toBe(1);
      expect(after.delta(before, 'portal_signin_outcomes_total', { outcome: 'rejected' })).toBe(1);
    } finally {
      await t.close();
    }
  });
});

describe('metrics of commands that meet another instance', () => {
  type Counted = DomainEvent<'Counted', { by: number }>;
  const counter: StreamModel<{ total: number }, Counted> = {
    name: 'counter',
    initialState: () => ({ total: 0 }),
    evolve: (state, event) => ({ total: state.total + event.data.by }),
  };
  const meta = { actor: { kind: 'SYSTEM' as const }, correlationId: 'metrics-conflict' };
  const add = () => ({ events: [{ type: 'Counted' as const, data: { by: 1 } }], result: null });

  it('counts each refused append, each retry, and the command that ran out of attempts', async () => {
    const t = await startTestApp();
    try {
      // Another instance on the same log: a handler with its own fold cache, as a second process has.
      const other = new CommandHandler(t.services.store);
      const before = await Scrape.of(t.app);
      // 1. This instance folds the stream, the other appends, this one decides on its stale fold:
      //    refused once, read again, appended.
      await t.services.commands.execute('probe-1', counter, add, meta);
      await other.execute('probe-1', counter, add, meta);
      const retried = await t.services.commands.execute('probe-1', counter, add, meta);
      expect(retried.state.total).toBe(3);
      // 2. The other instance writes under every attempt: five refusals, then CONFLICT.
      await expect(
        t.services.commands.execute(
          'probe-1',
          counter,
          async () => {
            await other.execute('probe-1', counter, add, meta);
            return add();
          },
          meta,
        ),
      ).rejects.toBeInstanceOf(CommandConflictError);
      const after = await Scrape.of(t.app);
      const moved = (name: string, labels: Record<string, string> = {}) => after.delta(before, name, labels);
      // Refusals of the store: this instance's six, and the other's first write in step 2, taken on
      // the fold it last saw (revision 1) and refused once too (the other counts no retries of its own).
      expect(moved('portal_eventstore_conflicts_total')).toBe(1 + 5 + 1);
      expect(moved('portal_command_retries_total', { outcome: 'retried' })).toBe(1 + 4);
      expect(moved('portal_command_retries_total', { outcome: 'exhausted' })).toBe(1);
    } finally {
      await t.close();
    }
  });
});
