import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CLAIM_LEASE_MS, mayCommitClaim } from '../../src/domain/document/claims.js';
import { documentModel } from '../../src/domain/document/decide.js';
import { systemActor } from '../../src/domain/shared/events.js';
import { documentStream } from '../../src/domain/shared/streams.js';
import { type CaseApp, MUTATIONS, startCaseApp } from './support.js';

/** A citizen's service with two required documents. */
const PENSION = 'ISSH-OLD-AGE-PENSION';

describe('claiming documents for an application', () => {
  let t: CaseApp;
  beforeEach(async () => {
    t = await startCaseApp();
  });
  afterEach(async () => {
    await t?.close();
  });

  const claimOf = async (documentId: string) => {
    const { state } = await t.services.commands.load(documentStream(documentId), documentModel);
    return state.status === 'NONE' ? undefined : state.claimedBy;
  };

  /** Makes appends to the streams `failing` picks fail, as a full disk or a lost connection would. */
  function failAppends(failing: (stream: string, types: string[]) => boolean) {
    const store = t.services.store;
    const append = store.append.bind(store);
    store.append = (stream, events, expected) =>
      failing(
        stream,
        events.map((e) => e.type),
      )
        ? Promise.reject(new Error('disk full'))
        : append(stream, events, expected);
    return () => {
      store.append = append;
    };
  }

  it('releases the first claim when claiming the second document fails, so the first is usable again', async () => {
    const [a, b, c] = [await t.upload('arben'), await t.upload('arben'), await t.upload('arben')];
    const restore = failAppends(
      (stream, types) => stream === documentStream(b) && types.includes('DocumentClaimed'),
    );
    try {
      const failed = await t.as('arben', MUTATIONS.apply, { serviceId: PENSION, documentIds: [a, b] });
      expect(failed.errors).toBeDefined();
    } finally {
      restore();
    }
    expect(await claimOf(a)).toBeNull();
    const types = (await t.services.store.readStream(documentStream(a))).map((e) => e.type);
    expect(types).toEqual(['DocumentUploaded', 'DocumentClaimed', 'DocumentReleased']);

    const again = await t.as('arben', MUTATIONS.apply, { serviceId: PENSION, documentIds: [a, c] });
    expect(again.data.applyForService.__typename).toBe('Application');
    expect(await claimOf(a)).toBe(again.data.applyForService.id);
    expect(again.data.applyForService.documents.map((d: { id: string }) => d.id).sort()).toEqual(
      [a, c].sort(),
    );
  });

  it('releases every claim when the application itself cannot be appended', async () => {
    const [a, b] = [await t.upload('arben'), await t.upload('arben')];
    const restore = failAppends((stream) => stream.startsWith('application-'));
    try {
      expect(
        (await t.as('arben', MUTATIONS.apply, { serviceId: PENSION, documentIds: [a, b] })).errors,
      ).toBeDefined();
    } finally {
      restore();
    }
    expect([await claimOf(a), await claimOf(b)]).toEqual([null, null]);
    const read = t.services.readDb
      .prepare('SELECT claimed_by FROM app_uploads WHERE document_id IN (?, ?)')
      .all(a, b) as Array<{ claimed_by: string | null }>;
    expect(read.map((r) => r.claimed_by)).toEqual([null, null]);
    const again = await t.as('arben', MUTATIONS.apply, { serviceId: PENSION, documentIds: [a, b] });
    expect(again.data.applyForService.__typename).toBe('Application');
  });

  it('lets a claim left by a crash (its application never created) lapse after twice its lease', async () => {
    const [a, b] = [await t.upload('arben'), await t.upload('arben')];
    // 1. What a crash between the claim and the application append leaves behind.
    const ghost = '0123456789abcdef0123456789abcdef';
    await t.services.commands.execute(
      documentStream(a),
      documentModel,
      () => ({
        events: [
          {
            type: 'DocumentClaimed' as const,
            data: { documentId: a, applicationId: ghost, claimedAt: t.clock.now().toISOString() },
          },
        ],
        result: null,
      }),
      { actor: systemActor('test'), correlationId: 'crash' },
    );
    // 2. Within the lease (and its margin) the document stays taken: the claimant may still be at work.
    t.clock.advance(2 * CLAIM_LEASE_MS);
    const early = await t.as('arben', MUTATIONS.apply, { serviceId: PENSION, documentIds: [a, b] });
    expect(early.data.applyForService).toMatchObject({
      __typename: 'InputRefused',
      code: 'DOCUMENT_ALREADY_ATTACHED',
    });
    // 3. The claimant itself could no longer commit; after the margin, the document is free again.
    const { state } = await t.services.commands.load(documentStream(a), documentModel);
    expect(mayCommitClaim(state, ghost, t.clock.now())).toBe(false);
    t.clock.advance(1);
    const late = await t.as('arben', MUTATIONS.apply, { serviceId: PENSION, documentIds: [a, b] });
    expect(late.data.applyForService.__typename).toBe('Application');
    expect(await claimOf(a)).toBe(late.data.applyForService.id);
  });

  it('never gives a document held by an application to another, however old its claim', async () => {
    const [a, b, c] = [await t.upload('arben'), await t.upload('arben'), await t.upload('arben')];
    const first = await t.as('arben', MUTATIONS.apply, { serviceId: PENSION, documentIds: [a, b] });
    expect(first.data.applyForService.__typename).toBe('Application');
    t.clock.advance(30 * 24 * 3600_000);
    const second = await t.as('arben', MUTATIONS.apply, { serviceId: PENSION, documentIds: [a, c] });
    expect(second.data.applyForService).toMatchObject({ code: 'DOCUMENT_ALREADY_ATTACHED' });
    expect(await claimOf(c)).toBeNull();
  });
});
