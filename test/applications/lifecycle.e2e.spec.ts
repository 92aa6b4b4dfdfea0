import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { tokenOf } from './fake-viewers.js';
import { type CaseApp, MUTATIONS, QUERIES, startCaseApp } from './support.js';

/** Who acted, as the facts a front end words in its own language (schema-extensions.graphql). */
const ACTORS = `query($id: ID!) { application(id: $id) {
  assignee assignedTo { kind role institution } timeline { actor actedBy { kind role institution } } } }`;

describe('an application from submission to rating', () => {
  let t: CaseApp;
  beforeEach(async () => {
    t = await startCaseApp();
  });
  afterEach(async () => {
    await t?.close();
  });

  it('a citizen applies, a caseworker decides, the citizen sees every step and rates it', async () => {
    const applied = await t.as('arben', MUTATIONS.apply, {
      serviceId: 'DPGJC-PERSONAL-CERTIFICATE',
      formData: { purpose: 'bank' },
    });
    expect(applied.errors).toBeUndefined();
    const app = applied.data.applyForService;
    expect(app.__typename).toBe('Application');
    expect(app.status).toBe('SUBMITTED');
    expect(app.dueAt).toBe('2026-11-28T08:00:00.000Z');
    expect(app.registryRecords).toHaveLength(1);
    expect(app.registryRecords[0].data.firstName).toBe('Arben');
    expect(app.registryRecords[0].digest).toMatch(/^[0-9a-f]{64}$/);

    const assigned = await t.as('dpgjc1', MUTATIONS.assign, { id: app.id });
    expect(assigned.data.assignApplication.status).toBe('IN_REVIEW');
    expect(assigned.data.assignApplication.assignee).toBe('Caseworker, DPGJC');

    const asked = await t.as('dpgjc1', MUTATIONS.request, { id: app.id, message: 'Which bank?' });
    expect(asked.data.requestInformation.status).toBe('INFORMATION_REQUESTED');
    const provided = await t.as('arben', MUTATIONS.provide, { id: app.id, message: 'BKT' });
    expect(provided.data.provideInformation.status).toBe('IN_REVIEW');
    const approved = await t.as('dpgjc1', MUTATIONS.approve, { id: app.id, note: 'Issued' });
    expect(approved.data.approveApplication.status).toBe('APPROVED');

    const rated = await t.as('arben', MUTATIONS.rate, { id: app.id, stars: 5, comment: 'Fast' });
    expect(rated.data.rateService.rating).toBe(5);
    const again = await t.as('arben', MUTATIONS.rate, { id: app.id, stars: 1 });
    expect(again.data.rateService).toMatchObject({ __typename: 'InputRefused', code: 'ALREADY_RATED' });

    const seen = await t.as('arben', QUERIES.application, { id: app.id });
    expect(seen.data.application.timeline.map((e: { status: string }) => e.status)).toEqual([
      'SUBMITTED',
      'IN_REVIEW',
      'INFORMATION_REQUESTED',
      'IN_REVIEW',
      'APPROVED',
    ]);
    const actors = seen.data.application.timeline.map((e: { actor: string }) => e.actor);
    expect(actors).toEqual([
      'Applicant',
      'Caseworker, DPGJC',
      'Caseworker, DPGJC',
      'Applicant',
      'Caseworker, DPGJC',
    ]);
    expect(JSON.stringify(seen.data.application.timeline)).not.toContain('I80715002N');
  });

  it('names who acted by part, role and institution, beside the English words, in either language', async () => {
    const applied = await t.as('arben', MUTATIONS.apply, { serviceId: 'DPGJC-PERSONAL-CERTIFICATE' });
    const id = applied.data.applyForService.id;
    const nobody = await t.as('arben', ACTORS, { id });
    expect(nobody.data.application).toMatchObject({ assignee: null, assignedTo: null });
    await t.as('dpgjc1', MUTATIONS.assign, { id });
    await t.as('dpgjc1', MUTATIONS.request, { id, message: 'Which bank?' });
    await t.as('arben', MUTATIONS.withdraw, { id });

    const applicant = { kind: 'APPLICANT', role: 'CITIZEN', institution: null };
    const caseworker = { kind: 'STAFF', role: 'CASEWORKER', institution: 'DPGJC' };
    // The same facts whatever the request's language: wording them is the front end's part.
    for (const language of ['sq', 'en']) {
      const seen = await t.gql(
        ACTORS,
        { id },
        { token: tokenOf('arben'), headers: { 'accept-language': language } },
      );
      expect(seen.errors).toBeUndefined();
      expect(seen.data.application.assignedTo).toEqual(caseworker);
      expect(seen.data.application.timeline).toEqual([
        { actor: 'Applicant', actedBy: applicant },
        { actor: 'Caseworker, DPGJC', actedBy: caseworker },
        { actor: 'Caseworker, DPGJC', actedBy: caseworker },
        { actor: 'Applicant', actedBy: applicant },
      ]);
    }
  });
});
