import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { tokenOf, type ViewerName } from './fake-viewers.js';
import { type CaseApp, MUTATIONS, QUERIES, startCaseApp } from './support.js';

const MY_DATA_ACCESS = '{ myDataAccess { edges { node { actor role purpose what } } } }';
const PURPOSES = '{ myDataAccess { edges { node { role purpose standingPurpose } } } }';
const READS =
  '{ myDataAccess { edges { node { what read { kind applicationId documentId occasion action } } } } }';

interface Reading {
  actor: string;
  role: string;
  purpose: string;
  what: string;
}

/**
 * Every staff reading of one person's data is recorded in that person's data-access log before it is
 * given, or refused: the case queue, a document download and the answers to staff mutations too.
 */
describe('staff readings recorded in the applicant’s log', () => {
  let t: CaseApp;
  beforeEach(async () => {
    t = await startCaseApp();
  });
  afterEach(async () => {
    await t?.close();
  });

  const readingsOf = async (who: ViewerName): Promise<Reading[]> =>
    (await t.as(who, MY_DATA_ACCESS)).data.myDataAccess.edges.map((e: { node: Reading }) => e.node);

  const apply = async (who: ViewerName, serviceId = 'DPGJC-PERSONAL-CERTIFICATE', documentIds?: string[]) => {
    const applied = await t.as(who, MUTATIONS.apply, { serviceId, ...(documentIds ? { documentIds } : {}) });
    expect(applied.data.applyForService.__typename).toBe('Application');
    return applied.data.applyForService.id as string;
  };

  /** Makes every append to a data-access log fail, as a full disk would, for the length of `run`. */
  async function withDataAccessFailing<T>(run: () => Promise<T>): Promise<T> {
    const store = t.services.store;
    const append = store.append.bind(store);
    store.append = (stream, events, expected) =>
      stream.startsWith('data-access-')
        ? Promise.reject(new Error('disk full'))
        : append(stream, events, expected);
    try {
      return await run();
    } finally {
      store.append = append;
    }
  }

  it('caseQueue records one reading per application listed, in each applicant’s own log', async () => {
    const first = await apply('arben');
    const second = await apply('arben');
    const hers = await apply('elira');
    const queue = await t.as('dpgjc1', QUERIES.queue, {});
    expect(queue.errors).toBeUndefined();
    expect(queue.data.caseQueue.edges).toHaveLength(3);

    const arben = await readingsOf('arben');
    expect(arben.map((r) => r.what).sort()).toEqual(
      [`Application ${first} (case queue)`, `Application ${second} (case queue)`].sort(),
    );
    for (const r of arben)
      expect(r).toMatchObject({
        role: 'CASEWORKER',
        actor: 'Dritan Shehu',
        purpose: 'Handling an application',
      });
    expect((await readingsOf('elira')).map((r) => r.what)).toEqual([`Application ${hers} (case queue)`]);

    // The same, as facts a front end words in its own language.
    const reads = (await t.as('elira', READS)).data.myDataAccess.edges.map((e: { node: unknown }) => e.node);
    expect(reads).toEqual([
      {
        what: `Application ${hers} (case queue)`,
        read: {
          kind: 'APPLICATION',
          applicationId: hers,
          documentId: null,
          occasion: 'CASE_QUEUE',
          action: null,
        },
      },
    ]);
  });

  it('caseQueue gives nothing when a reading cannot be recorded', async () => {
    await apply('arben');
    const refused = await withDataAccessFailing(() => t.as('dpgjc1', QUERIES.queue, {}));
    expect(refused.errors?.[0]?.extensions?.code).toBe('UNAVAILABLE');
    expect(refused.data?.caseQueue ?? null).toBeNull();
    expect(await readingsOf('arben')).toEqual([]);
  });

  it('a caseworker’s or auditor’s download of a document is recorded first; the uploader’s is not', async () => {
    const documentIds = [
      await t.upload('arben', undefined, 'marriage.pdf'),
      await t.upload('arben', undefined, 'passport.pdf'),
    ];
    const id = await apply('arben', 'DPGJC-MARRIAGE-ABROAD', documentIds);
    const download = (who: ViewerName, query = '') =>
      t.app.inject({
        url: `/documents/${documentIds[0]}${query}`,
        headers: { authorization: `Bearer ${tokenOf(who)}` },
      });
    expect((await download('arben')).statusCode).toBe(200);
    expect(await readingsOf('arben')).toEqual([]);

    expect((await download('dpgjc1')).statusCode).toBe(200);
    expect((await download('auditor', '?purpose=Complaint%2012')).statusCode).toBe(200);
    expect((await download('dkm')).statusCode).toBe(404);
    const readings = await readingsOf('arben');
    expect(readings).toEqual([
      {
        actor: 'Gentian Leka',
        role: 'AUDITOR',
        purpose: 'Complaint 12',
        what: `Document ${documentIds[0]} of application ${id}`,
      },
      {
        actor: 'Dritan Shehu',
        role: 'CASEWORKER',
        purpose: 'Handling an application',
        what: `Document ${documentIds[0]} of application ${id}`,
      },
    ]);
    const reads = (await t.as('arben', READS)).data.myDataAccess.edges.map(
      (e: { node: { read: unknown } }) => e.node.read,
    );
    const document = {
      kind: 'DOCUMENT',
      applicationId: id,
      documentId: documentIds[0],
      occasion: null,
      action: null,
    };
    expect(reads).toEqual([document, document]);

    // The portal words a standing purpose in the person's language; a purpose typed is shown as typed.
    expect(
      (await t.as('arben', PURPOSES)).data.myDataAccess.edges.map((e: { node: unknown }) => e.node),
    ).toEqual([
      { role: 'AUDITOR', purpose: 'Complaint 12', standingPurpose: false },
      { role: 'CASEWORKER', purpose: 'Handling an application', standingPurpose: true },
    ]);

    const refused = await withDataAccessFailing(() => download('dpgjc1'));
    expect(refused.statusCode).toBe(503);
    expect(refused.body).not.toContain('%PDF');
    expect(await readingsOf('arben')).toHaveLength(2);
  });

  it('the answers to assign, request, approve and reject are readings, one per answer', async () => {
    const approved = await apply('arben');
    const rejected = await apply('arben');
    await t.as('dpgjc1', MUTATIONS.assign, { id: approved });
    await t.as('dpgjc1', MUTATIONS.request, { id: approved, message: 'Which bank?' });
    await t.as('arben', MUTATIONS.provide, { id: approved, message: 'BKT' });
    await t.as('dpgjc1', MUTATIONS.approve, { id: approved });
    await t.as('dpgjc2', MUTATIONS.assign, { id: rejected });
    await t.as('dpgjc2', MUTATIONS.reject, { id: rejected, reason: 'Duplicate' });
    // A refused command gives no application, so nothing is read.
    const again = await t.as('dpgjc1', MUTATIONS.approve, { id: approved });
    expect(again.data.approveApplication.__typename).toBe('InputRefused');

    const whats = (await readingsOf('arben')).map((r) => `${r.actor}: ${r.what}`).reverse();
    expect(whats).toEqual([
      `Dritan Shehu: Application ${approved} (answer to AssignApplication)`,
      `Dritan Shehu: Application ${approved} (answer to RequestInformation)`,
      `Dritan Shehu: Application ${approved} (answer to ApproveApplication)`,
      `Besnik Gjoka: Application ${rejected} (answer to AssignApplication)`,
      `Besnik Gjoka: Application ${rejected} (answer to RejectApplication)`,
    ]);
    const reads = (await t.as('arben', READS)).data.myDataAccess.edges.map(
      (e: { node: { read: unknown } }) => e.node.read,
    );
    expect(reads.reverse()).toMatchObject([
      {
        kind: 'APPLICATION',
        applicationId: approved,
        occasion: 'ANSWER_TO_ACTION',
        action: 'ASSIGN_APPLICATION',
      },
      {
        kind: 'APPLICATION',
        applicationId: approved,
        occasion: 'ANSWER_TO_ACTION',
        action: 'REQUEST_INFORMATION',
      },
      {
        kind: 'APPLICATION',
        applicationId: approved,
        occasion: 'ANSWER_TO_ACTION',
        action: 'APPROVE_APPLICATION',
      },
      {
        kind: 'APPLICATION',
        applicationId: rejected,
        occasion: 'ANSWER_TO_ACTION',
        action: 'ASSIGN_APPLICATION',
      },
      {
        kind: 'APPLICATION',
        applicationId: rejected,
        occasion: 'ANSWER_TO_ACTION',
        action: 'REJECT_APPLICATION',
      },
    ]);
  });

  it('a staff mutation whose reading cannot be recorded answers UNAVAILABLE without the application', async () => {
    const id = await apply('arben');
    const refused = await withDataAccessFailing(() => t.as('dpgjc1', MUTATIONS.assign, { id }));
    expect(refused.errors?.[0]?.extensions?.code).toBe('UNAVAILABLE');
    expect(refused.data?.assignApplication ?? null).toBeNull();
    // The change itself was committed; only its answer was withheld.
    expect((await t.as('arben', QUERIES.application, { id })).data.application.status).toBe('IN_REVIEW');
    expect(await readingsOf('arben')).toEqual([]);
  });
});
