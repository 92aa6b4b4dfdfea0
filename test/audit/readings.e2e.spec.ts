import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accountIdFor } from '../../src/app/account/account-id.js';
import { dataAccessStream } from '../../src/domain/shared/streams.js';
import { VIEWERS } from '../applications/fake-viewers.js';
import { type CaseApp, MUTATIONS, startCaseApp } from '../applications/support.js';

/**
 * Every staff reading of one person's data is recorded in that person's data-access log before the
 * answer, whatever the audit query's filter: by identifier, by stream, by type or time only, or none.
 */
const AUDIT_LOG = `query($filter: AuditFilter, $first: Int, $after: String, $purpose: String) {
  auditLog(filter: $filter, first: $first, after: $after, purpose: $purpose) {
    edges { node { position stream type } } pageInfo { hasNextPage endCursor } } }`;
const MY_DATA_ACCESS =
  '{ myDataAccess(first: 200) { edges { node { role purpose what read { kind streamKinds } } } } }';

type Node = { position: string; stream: string; type: string };
type Reading = {
  role: string;
  purpose: string;
  what: string;
  read: { kind: string; streamKinds: string[] } | null;
};

let t: CaseApp;
let arbenApplication: string;
let arbenDocument: string;
let eliraApplication: string;
let foreignerApplication: string;

const readingsOf = async (name: 'arben' | 'elira'): Promise<Reading[]> =>
  (await t.as(name, MY_DATA_ACCESS)).data.myDataAccess.edges.map((e: { node: Reading }) => e.node);

async function auditLog(variables: Record<string, unknown>) {
  const response = await t.as('auditor', AUDIT_LOG, variables);
  expect(response.errors).toBeUndefined();
  return response.data.auditLog as {
    edges: Array<{ node: Node }>;
    pageInfo: { hasNextPage: boolean; endCursor: string | null };
  };
}

beforeAll(async () => {
  t = await startCaseApp();
  arbenDocument = await t.upload('arben');
  const arben = await t.as('arben', MUTATIONS.apply, {
    serviceId: 'DPSHTRR-LICENCE-CONVERSION',
    documentIds: [arbenDocument, await t.upload('arben')],
  });
  expect(arben.data.applyForService.__typename).toBe('Application');
  arbenApplication = arben.data.applyForService.id;
  const elira = await t.as('elira', MUTATIONS.apply, { serviceId: 'DPGJC-PERSONAL-CERTIFICATE' });
  expect(elira.data.applyForService.__typename).toBe('Application');
  eliraApplication = elira.data.applyForService.id;
  const documentIds = [await t.upload(null), await t.upload(null), await t.upload(null)];
  const foreigner = await t.as(null, MUTATIONS.foreigner, {
    input: {
      serviceId: 'DKM-RESIDENCE-PERMIT',
      passportNumber: 'it 1234567',
      nationality: 'it',
      fullName: 'Giulia Rossi',
      email: 'giulia@example.it',
      documentIds,
    },
  });
  expect(foreigner.data.applyAsForeigner.__typename).toBe('Application');
  foreignerApplication = foreigner.data.applyAsForeigner.id;
  expect(await readingsOf('arben')).toHaveLength(0);
});

afterAll(async () => {
  await t?.close();
});

describe('audit readings of one person', () => {
  it('auditLog(identifier) includes the person’s application and document events, and is recorded', async () => {
    const page = await auditLog({ filter: { identifier: VIEWERS.arben.identifier }, first: 500 });
    const streams = new Set(page.edges.map((e) => e.node.stream));
    expect(streams).toContain(`application-${arbenApplication}`);
    expect(streams).toContain(`document-${arbenDocument}`);
    expect(page.edges.map((e) => e.node.type)).toContain('ApplicationSubmitted');
    expect(streams).not.toContain(`application-${eliraApplication}`);
    expect((await readingsOf('arben'))[0]).toMatchObject({
      role: 'AUDITOR',
      what: 'Audit history',
      read: { kind: 'AUDIT_HISTORY', streamKinds: [] },
    });
  });

  it('records a reading of an application stream in the applicant’s myDataAccess', async () => {
    const before = (await readingsOf('arben')).length;
    const page = await auditLog({
      filter: { stream: `application-${arbenApplication}` },
      purpose: 'Complaint 2026/9',
    });
    expect(page.edges.length).toBeGreaterThan(0);
    const readings = await readingsOf('arben');
    expect(readings).toHaveLength(before + 1);
    expect(readings[0]).toEqual({
      role: 'AUDITOR',
      purpose: 'Complaint 2026/9',
      what: 'Audit history (application events)',
      read: { kind: 'AUDIT_HISTORY', streamKinds: ['APPLICATION'] },
    });
    expect(await readingsOf('elira')).toHaveLength(0);
  });

  it('records a reading of a document stream in its uploader’s myDataAccess', async () => {
    const before = (await readingsOf('arben')).length;
    await auditLog({ filter: { stream: `document-${arbenDocument}` } });
    expect((await readingsOf('arben'))[0]).toMatchObject({
      what: 'Audit history (document events)',
      read: { kind: 'AUDIT_HISTORY', streamKinds: ['DOCUMENT'] },
    });
    expect(await readingsOf('arben')).toHaveLength(before + 1);
  });

  it('records a reading of a foreign national’s application in the log keyed by the application', async () => {
    const log = dataAccessStream(`application-${foreignerApplication}`);
    const before = (await t.services.store.readStream(log)).length;
    await auditLog({ filter: { stream: `application-${foreignerApplication}` } });
    const records = await t.services.store.readStream(log);
    expect(records).toHaveLength(before + 1);
    expect(records.at(-1)).toMatchObject({ type: 'PersonalDataViewed', data: { role: 'AUDITOR' } });
  });
});

describe('audit readings of many people at once', () => {
  it('records a reading for each person on an unfiltered page, and none for the auditor', async () => {
    const arbenBefore = (await readingsOf('arben')).length;
    const eliraBefore = (await readingsOf('elira')).length;
    const page = await auditLog({ first: 500 });
    const streams = page.edges.map((e) => e.node.stream);
    expect(streams).toContain(`application-${eliraApplication}`);
    const arben = await readingsOf('arben');
    const elira = await readingsOf('elira');
    expect(arben).toHaveLength(arbenBefore + 1);
    expect(elira).toHaveLength(eliraBefore + 1);
    expect(elira[0]).toMatchObject({ role: 'AUDITOR', what: 'Audit history (application events)' });
    const auditorLog = dataAccessStream(
      accountIdFor(t.services.keys.streamNames, VIEWERS.auditor.identifier),
    );
    expect(await t.services.store.readStream(auditorLog)).toHaveLength(0);
  });

  it('records one for each person on a page filtered by type only', async () => {
    const eliraBefore = (await readingsOf('elira')).length;
    const page = await auditLog({ filter: { types: ['ApplicationSubmitted'] } });
    expect(page.edges.length).toBe(3);
    expect(await readingsOf('elira')).toHaveLength(eliraBefore + 1);
  });

  it('refuses the whole page when one person’s record cannot be written, and gives no data', async () => {
    const elira = dataAccessStream(VIEWERS.elira.accountId);
    const eliraBefore = (await readingsOf('elira')).length;
    const store = t.services.store;
    const append = store.append.bind(store);
    store.append = (stream, events, expected) =>
      stream === elira ? Promise.reject(new Error('disk full')) : append(stream, events, expected);
    try {
      const refused = await t.as('auditor', AUDIT_LOG, { filter: { types: ['ApplicationSubmitted'] } });
      expect(refused.errors?.[0]?.extensions?.code).toBe('UNAVAILABLE');
      expect(refused.data?.auditLog ?? null).toBeNull();
    } finally {
      store.append = append;
    }
    expect(await readingsOf('elira')).toHaveLength(eliraBefore);
  });

  it('lets a scan page through the whole log to its end: records of readings are not recorded again', async () => {
    let after: string | null = null;
    let pages = 0;
    for (;;) {
      const page = await auditLog({ first: 5, ...(after ? { after } : {}) });
      pages += 1;
      if (!page.pageInfo.hasNextPage) break;
      after = page.pageInfo.endCursor;
      expect(pages).toBeLessThan(200);
    }
    expect(pages).toBeGreaterThan(3);
  });
});
