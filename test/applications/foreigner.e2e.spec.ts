import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { statusEmailsSettled } from '../../src/app/applications/notify.js';
import { overdueCandidates } from '../../src/projections/application-queries.js';
import { type CaseApp, MUTATIONS, QUERIES, startCaseApp } from './support.js';

const FOREIGNER = {
  serviceId: 'DKM-RESIDENCE-PERMIT',
  passportNumber: 'it 1234567',
  nationality: 'it',
  fullName: 'Giulia Rossi',
  email: 'giulia@example.it',
};

describe('a foreign national, by tracking code', () => {
  let t: CaseApp;
  beforeEach(async () => {
    t = await startCaseApp();
  });
  afterEach(async () => {
    await t?.close();
  });

  async function applyAsForeigner() {
    const documentIds = [await t.upload(null), await t.upload(null), await t.upload(null)];
    const r = await t.as(null, MUTATIONS.foreigner, { input: { ...FOREIGNER, documentIds } });
    expect(r.errors).toBeUndefined();
    return { app: r.data.applyAsForeigner, documentIds };
  }

  it('applies without an account, follows and answers by code, and is e-mailed at each status change', async () => {
    const { app, documentIds } = await applyAsForeigner();
    expect(app.status).toBe('SUBMITTED');
    expect(app.applicant).toEqual({
      kind: 'FOREIGNER',
      displayName: 'Giulia Rossi',
      identifier: 'IT1234567',
    });
    const code: string = app.trackingCode;
    expect(code.replace(/[^A-Z0-9]/g, '').length - 2).toBeGreaterThanOrEqual(20); // 25 base32 characters: 125 bits

    // The code is stored only as a keyed hash, and shown once.
    const events = await t.services.store.readAll();
    expect(JSON.stringify(events)).not.toContain(code);
    const seen = await t.as(null, QUERIES.byCode, { code });
    expect(seen.data.applicationByTrackingCode.id).toBe(app.id);
    expect(seen.data.applicationByTrackingCode.trackingCode).toBeNull();
    // One character changed (to another of the alphabet): a code that ends in Z gets a Y instead.
    const wrong = `${code.slice(0, -1)}${code.endsWith('Z') ? 'Y' : 'Z'}`;
    expect((await t.as(null, QUERIES.byCode, { code: wrong })).data.applicationByTrackingCode).toBeNull();

    // Documents by code; not without it.
    const withCode = await t.app.inject({
      url: `/documents/${documentIds[0]}?trackingCode=${encodeURIComponent(code)}`,
    });
    expect(withCode.statusCode).toBe(200);
    expect((await t.app.inject({ url: `/documents/${documentIds[0]}` })).statusCode).toBe(404);

    await t.as('dkm', MUTATIONS.assign, { id: app.id });
    await t.as('dkm', MUTATIONS.request, { id: app.id, message: 'Please send your lease.' });
    const lease = await t.upload(null);
    const provided = await t.as(null, MUTATIONS.provide, {
      id: app.id,
      message: 'Attached',
      documentIds: [lease],
      trackingCode: code,
    });
    expect(provided.data.provideInformation.status).toBe('IN_REVIEW');
    expect(provided.data.provideInformation.documents).toHaveLength(4);
    await t.as('dkm', MUTATIONS.approve, { id: app.id, note: 'Permit issued' });
    const rated = await t.as(null, MUTATIONS.rate, { id: app.id, stars: 4, trackingCode: code });
    expect(rated.data.rateService.rating).toBe(4);

    await statusEmailsSettled(t.services); // e-mails go out after the mutation answered
    const mail = (await t.app.inject({ url: '/dev/outbox?to=giulia@example.it' })).json() as Array<{
      body: string;
    }>;
    expect(mail).toHaveLength(5); // submitted, in review, information requested, in review, approved
    expect(mail.at(-1)!.body).toContain(code); // the first e-mail carries the code
    expect(mail[0]!.body).toContain('approved');
    expect(mail[2]!.body).toContain('Please send your lease.');

    // Who acted, as facts: the foreign national has no account, so no role.
    const steps = await t.as(
      null,
      `query($code: String!) { applicationByTrackingCode(trackingCode: $code) {
      timeline { status actedBy { kind role institution } } } }`,
      { code },
    );
    expect(steps.data.applicationByTrackingCode.timeline.map((s: { actedBy: unknown }) => s.actedBy)).toEqual(
      [
        { kind: 'FOREIGN_APPLICANT', role: null, institution: null },
        { kind: 'STAFF', role: 'CASEWORKER', institution: 'DKM' },
        { kind: 'STAFF', role: 'CASEWORKER', institution: 'DKM' },
        { kind: 'FOREIGN_APPLICANT', role: null, institution: null },
        { kind: 'STAFF', role: 'CASEWORKER', institution: 'DKM' },
      ],
    );
  });

  it('refuses a bad nationality, passport or e-mail, and a service not open to foreigners', async () => {
    const bad = async (input: Record<string, unknown>) =>
      (await t.as(null, MUTATIONS.foreigner, { input: { ...FOREIGNER, ...input } })).data.applyAsForeigner;
    expect(await bad({ nationality: 'XX' })).toMatchObject({ field: 'nationality', code: 'INVALID_COUNTRY' });
    expect(await bad({ passportNumber: '12' })).toMatchObject({
      field: 'passportNumber',
      code: 'INVALID_PASSPORT',
    });
    expect(await bad({ email: 'not-an-address' })).toMatchObject({ field: 'email', code: 'INVALID_EMAIL' });
    expect(await bad({ serviceId: 'ISSH-OLD-AGE-PENSION' })).toMatchObject({
      field: 'serviceId',
      code: 'NOT_FOR_AUDIENCE',
    });
    expect(await t.services.store.headPosition()).toBe(-1);
  });

  it('marks an application overdue once, and purges uploads nobody attached within a day', async () => {
    const { app } = await applyAsForeigner();
    const stray = await t.upload(null);
    t.clock.advance(24 * 3600_000 + 1);
    expect(await t.services.jobs.runNow('uploads-purge')).toBe(1);
    expect(t.services.blobs.files()).not.toContain(stray);
    expect(t.services.blobs.files()).toHaveLength(3); // the application's three documents stay
    expect((await t.services.store.readStream(`document-${stray}`)).map((e) => e.type)).toEqual([
      'DocumentUploaded',
      'DocumentPurged',
    ]);

    expect(await t.services.jobs.runNow('applications-overdue')).toBe(0);
    t.clock.advance(30 * 24 * 3600_000);
    const queue = await t.as('dkm', QUERIES.queue);
    expect(queue.data.caseQueue.edges[0].node.overdue).toBe(true); // computed when read, before any job
    expect(await t.services.jobs.runNow('applications-overdue')).toBe(1);
    expect(await t.services.jobs.runNow('applications-overdue')).toBe(0);
    expect(overdueCandidates(t.services.readDb, t.services.clock.now())).toEqual([]);
    const events = await t.services.store.readStream(`application-${app.id}`);
    expect(events.filter((e) => e.type === 'ApplicationOverdue')).toHaveLength(1);
  });

  it('rebuilt read models equal the live ones', async () => {
    const { app } = await applyAsForeigner();
    await t.as('arben', MUTATIONS.apply, { serviceId: 'DPGJC-PERSONAL-CERTIFICATE' });
    await t.as('dkm', MUTATIONS.assign, { id: app.id });
    await t.as('dkm', MUTATIONS.reject, { id: app.id, reason: 'Incomplete' });
    const dump = () =>
      ['app_applications', 'app_timeline', 'app_documents', 'app_registry_records', 'app_uploads'].map(
        (table) => t.services.readDb.prepare(`SELECT * FROM ${table} ORDER BY 1, 2`).all(),
      );
    const live = dump();
    await t.services.projections.rebuild();
    expect(dump()).toEqual(live);
    expect(live[0]).toHaveLength(2);
  });
});
