import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { statusEmailsSettled } from '../../src/app/applications/notify.js';
import { COMPLETE_LOGIN, CONFIRM, REGISTER_CITIZEN, START_LOGIN } from '../account/flows.js';
import { startTestApp, type TestApp } from '../support/harness.js';
import { multipartBody, pdfBytes } from './fake-viewers.js';
import { MUTATIONS, QUERIES } from './support.js';

const PASSWORD = 'lule-bore-ne-mal-2026';

describe('case management with real registration, roles and sign-in', () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await startTestApp(); // the real authenticator: sessions from sign-in
  });
  afterEach(async () => {
    await t?.close();
  });

  /** The newest 6-digit code sent to an address, read as a person would: from GET /dev/outbox. */
  async function codeFor(email: string): Promise<string> {
    const outbox = (await t.app.inject({ url: `/dev/outbox?to=${encodeURIComponent(email)}` })).json();
    const code = (outbox as Array<{ body: string }>)[0]?.body.match(/\b(\d{6})\b/)?.[1];
    if (!code) throw new Error(`no code for ${email}`);
    return code;
  }

  async function register(
    nid: string,
    idCardNumber: string,
    firstName: string,
    email: string,
    phone: string,
  ) {
    const added = await t.app.inject({
      method: 'POST',
      url: '/dev/registry/citizens',
      payload: { nid, idCardNumber, firstName, lastName: 'Test', birthDate: '1990-01-01' },
    });
    expect(added.statusCode).toBe(201);
    const input = {
      nid,
      idCardNumber,
      email,
      phone,
      password: PASSWORD,
      securityQuestion: 'Qyteti?',
      securityAnswer: 'Berat',
    };
    const sent = (await t.gql(REGISTER_CITIZEN, { input })).data.registerCitizen;
    expect(sent.__typename).toBe('OtpSent');
    const session = (await t.gql(CONFIRM, { challengeId: sent.challengeId, code: await codeFor(email) })).data
      .confirmRegistration;
    expect(session.__typename).toBe('SessionStarted');
  }

  async function signIn(nid: string, email: string): Promise<string> {
    const started = (await t.gql(START_LOGIN, { identifier: nid, password: PASSWORD })).data.startLogin;
    expect(started.__typename).toBe('OtpSent');
    const done = (
      await t.gql(COMPLETE_LOGIN, { challengeId: started.challengeId, code: await codeFor(email) })
    ).data.completeLogin;
    expect(done.__typename).toBe('SessionStarted');
    return done.token;
  }

  it('a citizen applies with PDFs, a DPGJC caseworker decides, the citizen follows, rates and is e-mailed', async () => {
    await register('J00101999W', '012345678', 'Arben', 'arben@example.al', '+355691234567');
    await register('I80715002N', '034567890', 'Dritan', 'dritan@example.al', '+355691234568');
    const granted = await t.app.inject({
      method: 'POST',
      url: '/dev/roles',
      payload: { identifier: 'I80715002N', role: 'CASEWORKER', institution: 'DPGJC' },
    });
    expect(granted.statusCode).toBe(201);
    const citizen = await signIn('J00101999W', 'arben@example.al');
    const caseworker = await signIn('I80715002N', 'dritan@example.al');

    const documentIds: string[] = [];
    for (const name of ['certificate.pdf', 'passport.pdf']) {
      const { body, contentType } = multipartBody(pdfBytes(2048), name);
      const response = await t.app.inject({
        method: 'POST',
        url: '/documents',
        headers: { 'content-type': contentType, authorization: `Bearer ${citizen}` },
        payload: body,
      });
      expect(response.statusCode).toBe(201);
      documentIds.push(response.json().documentId);
    }
    const applied = await t.gql(
      MUTATIONS.apply,
      { serviceId: 'DPGJC-MARRIAGE-ABROAD', documentIds },
      { token: citizen },
    );
    const id = applied.data.applyForService.id;
    expect(applied.data.applyForService.applicant.identifier).toBe('J00101999W');

    const queue = await t.gql(QUERIES.queue, {}, { token: caseworker });
    expect(queue.data.caseQueue.edges.map((e: { node: { id: string } }) => e.node.id)).toEqual([id]);
    expect((await t.gql(MUTATIONS.assign, { id }, { token: citizen })).errors?.[0]?.extensions?.code).toBe(
      'FORBIDDEN',
    );
    await t.gql(MUTATIONS.assign, { id }, { token: caseworker });
    const download = await t.app.inject({
      url: `/documents/${documentIds[0]}`,
      headers: { authorization: `Bearer ${caseworker}` },
    });
    expect(download.statusCode).toBe(200);
    await t.gql(MUTATIONS.approve, { id, note: 'Registered' }, { token: caseworker });

    const seen = (await t.gql(QUERIES.application, { id }, { token: citizen })).data.application;
    expect(seen.timeline.map((e: { status: string }) => e.status)).toEqual([
      'SUBMITTED',
      'IN_REVIEW',
      'APPROVED',
    ]);
    expect(JSON.stringify(seen.timeline)).not.toContain('I80715002N');
    expect((await t.gql(MUTATIONS.rate, { id, stars: 5 }, { token: citizen })).data.rateService.rating).toBe(
      5,
    );

    await statusEmailsSettled(t.services); // e-mails go out after the mutation answered
    const mails = (await t.app.inject({ url: '/dev/outbox?to=arben@example.al' })).json() as Array<{
      subject: string;
      body: string;
    }>;
    const statusMails = mails.filter((m) => m.body.includes('Your application for'));
    expect(statusMails.map((m) => m.body.match(/Your application for "[^"]+" (.+)\./)?.[1])).toEqual([
      'was approved',
      'is in review',
      'was submitted',
    ]);
  });
});
