import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SERVICES } from '../../src/domain/catalogue/services.js';
import { tokenOf, type ViewerName } from './fake-viewers.js';
import { type CaseApp, MUTATIONS, QUERIES, startCaseApp } from './support.js';

const errorCode = (r: { errors?: Array<{ extensions?: Record<string, unknown> }> }) =>
  r.errors?.[0]?.extensions?.code ?? null;

describe('who may see and do what (end to end)', () => {
  let t: CaseApp;
  let applicationId: string;
  let documentId: string;

  /** A fresh application of Arben's to the DPGJC, with its two required documents. */
  async function apply(): Promise<{ id: string; documents: string[] }> {
    const documents = [await t.upload('arben'), await t.upload('arben')];
    const r = await t.as('arben', MUTATIONS.apply, {
      serviceId: 'DPGJC-MARRIAGE-ABROAD',
      documentIds: documents,
    });
    expect(r.data.applyForService.__typename).toBe('Application');
    return { id: r.data.applyForService.id, documents };
  }

  beforeAll(async () => {
    t = await startCaseApp();
    const applied = await apply();
    applicationId = applied.id;
    documentId = applied.documents[0]!;
  });
  afterAll(async () => {
    await t?.close();
  });

  const SEES: Array<[ViewerName | null, boolean]> = [
    ['arben', true],
    ['dpgjc1', true],
    ['dpgjc2', true],
    ['auditor', true],
    ['dkm', false],
    ['elira', false],
    ['helpdesk', false],
    ['business', false],
    [null, false],
  ];

  it.each(SEES)('application(id) and GET /documents/{id} as %s: visible = %s', async (who, visible) => {
    const r = await t.as(who, QUERIES.application, { id: applicationId });
    expect(r.errors).toBeUndefined();
    expect(r.data.application?.id ?? null).toBe(visible ? applicationId : null);
    const download = await t.app.inject({
      method: 'GET',
      url: `/documents/${documentId}`,
      headers: who ? { authorization: `Bearer ${tokenOf(who)}` } : {},
    });
    expect(download.statusCode).toBe(visible ? 200 : 404);
    if (visible) {
      expect(download.headers['content-type']).toBe('application/pdf');
      expect(download.rawPayload.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    }
  });

  it('caseworkers see the applicant, registry records and documents; never a staff personal number', async () => {
    const r = await t.as('dpgjc1', QUERIES.application, { id: applicationId });
    const app = r.data.application;
    expect(app.applicant).toEqual({ kind: 'CITIZEN', displayName: 'Arben Hoxha', identifier: 'J00101999W' });
    expect(app.registryRecords[0]).toMatchObject({
      registry: 'civil-registry',
      reference: 'citizens/J00101999W',
    });
    expect(app.documents).toHaveLength(2);
    expect(app.documents[0].url).toBe(`/documents/${app.documents[0].id}`);
  });

  type Case = [string, ViewerName | null, keyof typeof MUTATIONS, Record<string, unknown>, string];
  const ACTS: Case[] = [
    ['anonymous may not assign', null, 'assign', {}, 'UNAUTHENTICATED'],
    ['the applicant may not assign', 'arben', 'assign', {}, 'FORBIDDEN'],
    ['an auditor may not assign', 'auditor', 'assign', {}, 'FORBIDDEN'],
    ['another institution sees nothing', 'dkm', 'assign', {}, 'NOT_FOUND'],
    ['another citizen sees nothing', 'elira', 'withdraw', {}, 'NOT_FOUND'],
    ['a caseworker may not withdraw', 'dpgjc1', 'withdraw', {}, 'FORBIDDEN'],
    ['only the assignee decides', 'dpgjc1', 'approve', {}, 'FORBIDDEN'],
    ['the applicant may not decide', 'arben', 'reject', { reason: 'no' }, 'FORBIDDEN'],
    ['an auditor may not ask for information', 'auditor', 'request', { message: 'x' }, 'FORBIDDEN'],
    ['a caseworker may not provide information', 'dpgjc1', 'provide', { message: 'x' }, 'FORBIDDEN'],
    ['a wrong tracking code sees nothing', null, 'withdraw', { trackingCode: 'TC-AAAAA-BBBBB' }, 'NOT_FOUND'],
  ];

  it.each(ACTS)('%s', async (_name, who, mutation, vars, code) => {
    const { id } = await apply();
    const before = await t.services.store.headPosition();
    const r = await t.as(who, MUTATIONS[mutation], { id, ...vars });
    expect(errorCode(r)).toBe(code);
    expect(await t.services.store.headPosition()).toBe(before);
  });

  it('any caseworker of the institution takes a case over; then only the new assignee decides', async () => {
    const { id } = await apply();
    expect((await t.as('dpgjc1', MUTATIONS.assign, { id })).data.assignApplication.status).toBe('IN_REVIEW');
    expect((await t.as('dpgjc2', MUTATIONS.assign, { id })).data.assignApplication.status).toBe('IN_REVIEW');
    expect(errorCode(await t.as('dpgjc1', MUTATIONS.approve, { id }))).toBe('FORBIDDEN');
    expect((await t.as('dpgjc2', MUTATIONS.approve, { id })).data.approveApplication.status).toBe('APPROVED');
  });

  it('an action the status does not allow is InputRefused status NOT_ALLOWED_IN_STATUS', async () => {
    const { id } = await apply();
    const r = await t.as('arben', MUTATIONS.provide, { id, message: 'unasked' });
    expect(r.data.provideInformation).toMatchObject({
      __typename: 'InputRefused',
      field: 'status',
      code: 'NOT_ALLOWED_IN_STATUS',
    });
    const rate = await t.as('arben', MUTATIONS.rate, { id, stars: 4 });
    expect(rate.data.rateService).toMatchObject({ field: 'status', code: 'NOT_ALLOWED_IN_STATUS' });
  });

  it('caseQueue: caseworkers only, their own institution, earliest dueAt first', async () => {
    expect(errorCode(await t.as('arben', QUERIES.queue))).toBe('FORBIDDEN');
    expect(errorCode(await t.as('auditor', QUERIES.queue))).toBe('FORBIDDEN');
    expect(errorCode(await t.as(null, QUERIES.queue))).toBe('UNAUTHENTICATED');
    const other = await t.as('dkm', QUERIES.queue);
    expect(other.data.caseQueue.edges).toEqual([]);
    const mine = await t.as('dpgjc1', QUERIES.queue, { first: 100 });
    const ids = mine.data.caseQueue.edges.map((e: { node: { id: string } }) => e.node.id);
    expect(ids).toContain(applicationId);
    const due = mine.data.caseQueue.edges.map((e: { node: { dueAt: string } }) => e.node.dueAt);
    expect([...due].sort()).toEqual(due);
  });

  it('myApplications lists only the caller’s own, newest first, in pages', async () => {
    t.clock.advance(60_000);
    const { id: newest } = await apply();
    const first = await t.as('arben', QUERIES.mine, { first: 2 });
    expect(first.data.myApplications.edges[0].node.id).toBe(newest);
    expect(first.data.myApplications.pageInfo.hasNextPage).toBe(true);
    const rest = await t.as('arben', QUERIES.mine, {
      first: 100,
      after: first.data.myApplications.pageInfo.endCursor,
    });
    const all = [...first.data.myApplications.edges, ...rest.data.myApplications.edges].map(
      (e: { node: { submittedAt: string } }) => e.node.submittedAt,
    );
    expect([...all].sort().reverse()).toEqual(all);
    expect((await t.as('elira', QUERIES.mine)).data.myApplications.edges).toEqual([]);
  });
});

describe('applying', () => {
  let t: CaseApp;
  beforeAll(async () => {
    t = await startCaseApp();
  });
  afterAll(async () => {
    await t?.close();
  });

  it('refuses a missing document, someone else’s document, a document used twice, and the wrong audience', async () => {
    const service = 'DPGJC-MARRIAGE-ABROAD';
    const a = await t.upload('arben');
    const b = await t.upload('arben');
    const elira = await t.upload('elira');
    const missing = await t.as('arben', MUTATIONS.apply, { serviceId: service, documentIds: [a] });
    expect(missing.data.applyForService).toMatchObject({ field: 'documentIds', code: 'DOCUMENTS_REQUIRED' });
    const foreign = await t.as('arben', MUTATIONS.apply, { serviceId: service, documentIds: [a, elira] });
    expect(foreign.data.applyForService).toMatchObject({ field: 'documentIds', code: 'UNKNOWN_DOCUMENT' });
    const ok = await t.as('arben', MUTATIONS.apply, { serviceId: service, documentIds: [a, b] });
    expect(ok.data.applyForService.__typename).toBe('Application');
    const c = await t.upload('arben');
    const reused = await t.as('arben', MUTATIONS.apply, { serviceId: service, documentIds: [a, c] });
    expect(reused.data.applyForService).toMatchObject({
      field: 'documentIds',
      code: 'DOCUMENT_ALREADY_ATTACHED',
    });
    const audience = await t.as('arben', MUTATIONS.apply, { serviceId: 'QKB-EXTRACT' });
    expect(audience.data.applyForService).toMatchObject({ field: 'serviceId', code: 'NOT_FOR_AUDIENCE' });
    const english = await t.gql(
      MUTATIONS.apply,
      { serviceId: 'NOPE' },
      { token: tokenOf('arben'), headers: { 'accept-language': 'en' } },
    );
    expect(english.data.applyForService).toMatchObject({
      code: 'UNKNOWN_SERVICE',
      message: 'There is no such service.',
    });
  });

  it('a business account applies as the business, with its business registry record', async () => {
    const r = await t.as('business', MUTATIONS.apply, { serviceId: 'QKB-EXTRACT' });
    const app = r.data.applyForService;
    expect(app.applicant).toEqual({
      kind: 'BUSINESS',
      displayName: 'Furra Tirana shpk',
      identifier: 'L12345678A',
    });
    expect(app.registryRecords[0]).toMatchObject({
      registry: 'business-registry',
      reference: 'businesses/L12345678A',
    });
  });

  it('lists at least 8 services of at least 4 institutions, in the request’s language', async () => {
    const all = await t.gql(
      '{ services { id name nameSq nameEn institution institutionName audiences requiredDocuments deadlineDays } }',
      {},
      { headers: { 'accept-language': 'en' } },
    );
    const services = all.data.services as Array<{
      institution: string;
      name: string;
      nameEn: string;
      audiences: string[];
    }>;
    expect(services.length).toBeGreaterThanOrEqual(8);
    expect(new Set(services.map((s) => s.institution)).size).toBeGreaterThanOrEqual(4);
    expect(services.every((s) => s.name === s.nameEn)).toBe(true);
    expect(services.filter((s) => s.audiences.includes('FOREIGNER')).length).toBeGreaterThanOrEqual(2);
    const foreign = await t.gql('{ services(audience: FOREIGNER) { id name } }');
    expect(foreign.data.services.map((s: { id: string }) => s.id)).toContain('DKM-RESIDENCE-PERMIT');
  });

  it('names every required document in Albanian and in English, one label each; requiredDocuments stays English', async () => {
    const query = '{ services { id requiredDocuments requiredDocumentsSq requiredDocumentsEn } }';
    const documents = async (language: string) =>
      (await t.gql(query, {}, { headers: { 'accept-language': language } })).data.services as Array<{
        id: string;
        requiredDocuments: string[];
        requiredDocumentsSq: string[];
        requiredDocumentsEn: string[];
      }>;
    const inAlbanian = await documents('sq');
    expect(inAlbanian.map((s) => s.id)).toEqual(SERVICES.map((s) => s.id));
    for (const [i, service] of inAlbanian.entries()) {
      const catalogue = SERVICES[i]!.requiredDocuments;
      expect(service.requiredDocumentsSq).toEqual(catalogue.map((d) => d.sq));
      expect(service.requiredDocumentsEn).toEqual(catalogue.map((d) => d.en));
      expect(service.requiredDocuments).toEqual(service.requiredDocumentsEn);
      expect(service.requiredDocumentsSq).toHaveLength(service.requiredDocumentsEn.length);
      for (const label of [...service.requiredDocumentsSq, ...service.requiredDocumentsEn])
        expect(label.trim()).not.toBe('');
      // Translated, not copied.
      for (const [j, label] of service.requiredDocumentsSq.entries())
        expect(label).not.toBe(service.requiredDocumentsEn[j]);
    }
    const marriage = inAlbanian.find((s) => s.id === 'DPGJC-MARRIAGE-ABROAD')!;
    expect(marriage.requiredDocumentsSq).toEqual([
      'Certifikatë martese (me apostilë)',
      'Pasaporta e bashkëshortit të huaj',
    ]);
    expect(marriage.requiredDocuments).toEqual([
      'Marriage certificate (apostilled)',
      'Passport of the foreign spouse',
    ]);
    expect(await documents('en')).toEqual(inAlbanian);
  });
});
