import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { UPLOADS_PER_ACCOUNT_PER_HOUR } from '../../src/api/documents-routes.js';
import { CLAIM_LEASE_MS } from '../../src/domain/document/claims.js';
import { documentModel, UNATTACHED_TTL_MS } from '../../src/domain/document/decide.js';
import { systemActor } from '../../src/domain/shared/events.js';
import { documentStream } from '../../src/domain/shared/streams.js';
import { multipartBody, pdfBytes, tokenOf, type ViewerName } from './fake-viewers.js';
import { type CaseApp, MUTATIONS, startCaseApp } from './support.js';

/** What stops a signed-in account from filling the disk: an hourly limit, and the purge of unused uploads. */
describe('uploads of signed-in accounts', () => {
  let t: CaseApp;
  beforeEach(async () => {
    t = await startCaseApp();
  });
  afterEach(async () => {
    await t?.close();
  });

  async function post(who: ViewerName) {
    const { body, contentType } = multipartBody(pdfBytes(100));
    return t.app.inject({
      method: 'POST',
      url: '/documents',
      headers: { 'content-type': contentType, authorization: `Bearer ${tokenOf(who)}` },
      payload: body,
    });
  }

  it(`allows ${UPLOADS_PER_ACCOUNT_PER_HOUR} uploads an hour per account, then 429 until the hour is over`, async () => {
    for (let i = 0; i < UPLOADS_PER_ACCOUNT_PER_HOUR; i++) expect((await post('arben')).statusCode).toBe(201);
    const refused = await post('arben');
    expect(refused.statusCode).toBe(429);
    expect(refused.headers['retry-after'] ?? refused.json()).toBeTruthy();
    expect(t.services.blobs.files()).toHaveLength(UPLOADS_PER_ACCOUNT_PER_HOUR);
    // The limit is the account's own: another person is not held back by it.
    expect((await post('elira')).statusCode).toBe(201);
    t.clock.advance(3600_000);
    expect((await post('arben')).statusCode).toBe(201);
  });

  /** What a crash between claiming a document and appending its application leaves behind. */
  const crashClaim = (documentId: string) =>
    t.services.commands.execute(
      documentStream(documentId),
      documentModel,
      () => ({
        events: [
          {
            type: 'DocumentClaimed' as const,
            data: {
              documentId,
              applicationId: '0123456789abcdef0123456789abcdef',
              claimedAt: t.clock.now().toISOString(),
            },
          },
        ],
        result: null,
      }),
      { actor: systemActor('test'), correlationId: 'crash' },
    );

  it('purges any upload no application holds after a day, a lapsed crash claim included; held ones stay', async () => {
    const signedIn = await t.upload('arben');
    const anonymous = await t.upload(null);
    const crashedEarly = await t.upload(null);
    const crashedLate = await t.upload('arben');
    const held = [await t.upload('arben'), await t.upload('arben')];
    const applied = await t.as('arben', MUTATIONS.apply, {
      serviceId: 'ISSH-OLD-AGE-PENSION',
      documentIds: held,
    });
    expect(applied.data.applyForService.__typename).toBe('Application');
    await crashClaim(crashedEarly);

    // 1. Before a day has passed nothing goes.
    t.clock.advance(UNATTACHED_TTL_MS - 1);
    expect(await t.services.jobs.runNow('uploads-purge')).toBe(0);
    // 2. A day on: unattached uploads go, whoever uploaded them, and so does a claim that lapsed long
    //    ago; a claim made just now may still be committed by its claimant, so that document waits.
    await crashClaim(crashedLate);
    t.clock.advance(1);
    expect(await t.services.jobs.runNow('uploads-purge')).toBe(3);
    const files = t.services.blobs.files();
    for (const gone of [signedIn, anonymous, crashedEarly]) expect(files).not.toContain(gone);
    expect(files.sort()).toEqual([...held, crashedLate].sort());
    // 3. Once that claim has lapsed as well (twice its lease), it goes; a held document never does.
    t.clock.advance(2 * CLAIM_LEASE_MS + 1);
    expect(await t.services.jobs.runNow('uploads-purge')).toBe(1);
    t.clock.advance(365 * UNATTACHED_TTL_MS);
    expect(await t.services.jobs.runNow('uploads-purge')).toBe(0);
    expect(t.services.blobs.files().sort()).toEqual([...held].sort());
    const types = (await t.services.store.readStream(documentStream(signedIn))).map((e) => e.type);
    expect(types).toEqual(['DocumentUploaded', 'DocumentPurged']);
    // A purged document can no longer be downloaded or attached.
    const download = await t.app.inject({
      url: `/documents/${signedIn}`,
      headers: { authorization: `Bearer ${tokenOf('arben')}` },
    });
    expect(download.statusCode).toBe(404);
  });
});
