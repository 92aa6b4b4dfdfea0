import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { dataAccessStream } from '../../src/domain/shared/streams.js';
import { type CaseApp, MUTATIONS, startCaseApp } from './support.js';

const AS_OF = `query($id: ID!, $asOf: DateTime, $purpose: String) {
  application(id: $id, asOf: $asOf, purpose: $purpose) { id status overdue updatedAt timeline { at status note } }
}`;
const MY_DATA_ACCESS = `{ myDataAccess { edges { node { at actor role purpose what
  read { kind applicationId documentId asOf occasion action role streamKinds } } } } }`;
const HOUR = 3_600_000;

describe('application(id, asOf)', () => {
  let t: CaseApp;
  beforeEach(async () => {
    t = await startCaseApp();
  });
  afterEach(async () => {
    await t?.close();
  });

  it('answers from the stream as it stood at each instant: status, timeline and overdue', async () => {
    // 1. A history an hour apart: SUBMITTED t1, IN_REVIEW t2, INFORMATION_REQUESTED t3, IN_REVIEW t4,
    //    then past dueAt (24 h after t1) APPROVED t5.
    const t0 = t.clock.now().getTime();
    const applied = await t.as('arben', MUTATIONS.apply, { serviceId: 'DPGJC-PERSONAL-CERTIFICATE' });
    const id = applied.data.applyForService.id as string;
    const at = (ms: number) => new Date(ms).toISOString();
    t.clock.advance(HOUR);
    await t.as('dpgjc1', MUTATIONS.assign, { id });
    t.clock.advance(HOUR);
    await t.as('dpgjc1', MUTATIONS.request, { id, message: 'Which bank?' });
    t.clock.advance(HOUR);
    await t.as('arben', MUTATIONS.provide, { id, message: 'BKT' });
    t.clock.advance(30 * HOUR);
    await t.as('dpgjc1', MUTATIONS.approve, { id, note: 'Issued' });
    const t5 = t0 + 33 * HOUR;

    // 2. The answer at each instant, and between them.
    const expected: Array<[number, string | null, number, boolean]> = [
      [t0 - 1, null, 0, false],
      [t0, 'SUBMITTED', 1, false],
      [t0 + HOUR - 1, 'SUBMITTED', 1, false],
      [t0 + HOUR, 'IN_REVIEW', 2, false],
      [t0 + 2 * HOUR, 'INFORMATION_REQUESTED', 3, false],
      [t0 + 3 * HOUR, 'IN_REVIEW', 4, false],
      [t0 + 25 * HOUR, 'IN_REVIEW', 4, true],
      [t5, 'APPROVED', 5, false],
    ];
    for (const [instant, status, steps, overdue] of expected) {
      const answer = await t.as('auditor', AS_OF, { id, asOf: at(instant) });
      expect(answer.errors).toBeUndefined();
      const application = answer.data.application;
      if (status === null) {
        expect(application).toBeNull();
        continue;
      }
      expect({ at: at(instant), status: application.status, overdue: application.overdue }).toEqual({
        at: at(instant),
        status,
        overdue,
      });
      expect(application.timeline).toHaveLength(steps);
      for (const step of application.timeline) expect(Date.parse(step.at)).toBeLessThanOrEqual(instant);
    }

    // 3. At the latest instant the as-of answer is the live one.
    const live = await t.as('arben', AS_OF, { id });
    const asOfNow = await t.as('arben', AS_OF, { id, asOf: at(t5) });
    expect(asOfNow.data.application).toEqual(live.data.application);
  });

  it("records a caseworker's and an auditor's reading in the applicant's myDataAccess, not the applicant's own", async () => {
    const applied = await t.as('arben', MUTATIONS.apply, { serviceId: 'DPGJC-PERSONAL-CERTIFICATE' });
    const id = applied.data.applyForService.id as string;
    await t.as('arben', AS_OF, { id });
    expect((await t.as('arben', MY_DATA_ACCESS)).data.myDataAccess.edges).toHaveLength(0);

    const read = await t.as('dpgjc1', AS_OF, { id, purpose: 'Case DPGJC/2026/77' });
    expect(read.data.application.status).toBe('SUBMITTED');
    const asOf = t.clock.now().toISOString();
    await t.as('auditor', AS_OF, { id, asOf });
    // A caseworker of another institution sees nothing, and nothing is recorded.
    expect((await t.as('dkm', AS_OF, { id })).data.application).toBeNull();

    const nodes = (await t.as('arben', MY_DATA_ACCESS)).data.myDataAccess.edges.map(
      (e: { node: unknown }) => e.node,
    );
    expect(nodes).toHaveLength(2);
    expect(nodes[1]).toMatchObject({
      role: 'CASEWORKER',
      purpose: 'Case DPGJC/2026/77',
      actor: 'Dritan Shehu',
      what: `Application ${id}`,
    });
    expect(nodes[0]).toMatchObject({
      role: 'AUDITOR',
      purpose: 'Audit of the portal',
      what: `Application ${id} as of ${asOf}`,
    });
    // The same, as facts a front end words in its own language.
    const application = {
      kind: 'APPLICATION',
      applicationId: id,
      documentId: null,
      asOf: null,
      occasion: null,
      action: null,
      role: null,
      streamKinds: [],
    };
    expect(nodes[1].read).toEqual(application);
    expect(nodes[0].read).toEqual({ ...application, asOf });
  });

  it('refuses a staff reading whose record cannot be written, and gives no data', async () => {
    const applied = await t.as('arben', MUTATIONS.apply, { serviceId: 'DPGJC-PERSONAL-CERTIFICATE' });
    const id = applied.data.applyForService.id as string;
    const store = t.services.store;
    const append = store.append.bind(store);
    store.append = (stream, events, expected) =>
      stream.startsWith('data-access-')
        ? Promise.reject(new Error('disk full'))
        : append(stream, events, expected);
    try {
      const refused = await t.as('dpgjc1', AS_OF, { id });
      expect(refused.errors?.[0]?.extensions?.code).toBe('UNAVAILABLE');
      expect(refused.data?.application ?? null).toBeNull();
      // The applicant's own reading needs no record and still works.
      expect((await t.as('arben', AS_OF, { id })).data.application.status).toBe('SUBMITTED');
    } finally {
      store.append = append;
    }
    expect((await t.as('arben', MY_DATA_ACCESS)).data.myDataAccess.edges).toHaveLength(0);
  });

  it("records a reading of a foreign national's application in a log keyed by the application", async () => {
    const documentIds = [await t.upload(null), await t.upload(null), await t.upload(null)];
    const applied = await t.as(null, MUTATIONS.foreigner, {
      input: {
        serviceId: 'DKM-RESIDENCE-PERMIT',
        passportNumber: 'X1234567',
        nationality: 'IT',
        fullName: 'Giulia Rossi',
        email: 'giulia@example.it',
        documentIds,
      },
    });
    expect(applied.data.applyAsForeigner.__typename).toBe('Application');
    const id = applied.data.applyAsForeigner.id as string;
    expect((await t.as('dkm', AS_OF, { id, purpose: 'Permit check' })).data.application.status).toBe(
      'SUBMITTED',
    );
    const recorded = await t.services.store.readStream(dataAccessStream(`application-${id}`));
    expect(recorded.map((e) => [e.type, e.data.role, e.data.purpose])).toEqual([
      ['PersonalDataViewed', 'CASEWORKER', 'Permit check'],
    ]);
  });
});
