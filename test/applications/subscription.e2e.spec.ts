import { type Client, createClient } from 'graphql-ws';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import WebSocket from 'ws';
import { tokenOf, type ViewerName } from './fake-viewers.js';
import { type CaseApp, MUTATIONS, startCaseApp } from './support.js';
import { countSubscriptions, subscribe } from './ws-subscriber.js';

describe('applicationUpdated over graphql-transport-ws', () => {
  let t: CaseApp;
  let url: string;
  let subscribers: (id: string) => number;
  const clients: Client[] = [];
  beforeEach(async () => {
    t = await startCaseApp();
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    url = `ws://127.0.0.1:${(t.app.server.address() as { port: number }).port}/graphql`;
    subscribers = countSubscriptions(t.app);
  });
  afterEach(async () => {
    for (const c of clients.splice(0)) await c.dispose();
    await t?.close();
  });

  function client(who: ViewerName | null, connectionParams?: Record<string, unknown>) {
    const c = createClient({
      url,
      webSocketImpl: WebSocket,
      retryAttempts: 0,
      lazy: true,
      connectionParams: connectionParams ?? (who ? { authorization: `Bearer ${tokenOf(who)}` } : {}),
    });
    clients.push(c);
    return c;
  }

  it('pushes every change to the applicant and to the institution’s caseworkers, after commit', async () => {
    const applied = await t.as('arben', MUTATIONS.apply, { serviceId: 'DPGJC-PERSONAL-CERTIFICATE' });
    const id = applied.data.applyForService.id;
    const applicant = subscribe(client('arben'), { id });
    const caseworker = subscribe(client('dpgjc2'), { id });
    await vi.waitFor(() => expect(subscribers(id)).toBe(2));
    await t.as('dpgjc1', MUTATIONS.assign, { id });
    await t.as('dpgjc1', MUTATIONS.request, { id, message: 'Which bank?' });
    await t.as('arben', MUTATIONS.provide, { id, message: 'BKT' });
    await t.as('dpgjc1', MUTATIONS.approve, { id });
    await applicant.until(() => applicant.received.at(-1)?.status === 'APPROVED');
    await caseworker.until(() => caseworker.received.at(-1)?.status === 'APPROVED');
    expect(applicant.errors).toEqual([]);
    expect(applicant.received.map((u) => u.status)).toEqual([
      'IN_REVIEW',
      'INFORMATION_REQUESTED',
      'IN_REVIEW',
      'APPROVED',
    ]);
    expect(caseworker.received.map((u) => u.status)).toEqual(applicant.received.map((u) => u.status));
  });

  it('a foreign national subscribes with the tracking code; strangers and other institutions get nothing', async () => {
    const documentIds = [await t.upload(null), await t.upload(null), await t.upload(null)];
    const applied = await t.as(null, MUTATIONS.foreigner, {
      input: {
        serviceId: 'DKM-RESIDENCE-PERMIT',
        passportNumber: 'X1234567',
        nationality: 'DE',
        fullName: 'Jonas Weber',
        email: 'jonas@example.de',
        documentIds,
      },
    });
    const { id, trackingCode } = applied.data.applyAsForeigner;
    const stranger = subscribe(client('elira'), { id });
    const otherInstitution = subscribe(client('dpgjc1'), { id });
    const wrongCode = subscribe(client(null), { id, trackingCode: 'TC-AAAAA-AAAAA-AAAAA-AAAAA-AAAAA' });
    for (const s of [stranger, otherInstitution, wrongCode]) await s.until(() => s.errors.length > 0);
    // mercurius sends errors raised while subscribing without the error formatter: the message only.
    for (const s of [stranger, otherInstitution, wrongCode]) {
      expect(JSON.stringify(s.errors)).toContain('No such application.');
      expect(s.received).toEqual([]);
    }
    expect(subscribers(id)).toBe(0);

    const foreigner = subscribe(client(null), { id, trackingCode });
    await vi.waitFor(() => expect(subscribers(id)).toBe(1));
    await t.as('dkm', MUTATIONS.assign, { id });
    await foreigner.until(() => foreigner.received.length > 0);
    expect(foreigner.received[0]).toMatchObject({ id, status: 'IN_REVIEW', assignee: 'Caseworker, DKM' });
  });

  it('refuses a connection whose token names no session', async () => {
    const c = createClient({
      url,
      webSocketImpl: WebSocket,
      retryAttempts: 0,
      connectionParams: { authorization: 'Bearer nope' },
    });
    clients.push(c);
    const s = subscribe(c, { id: '00000000000000000000000000000000' });
    await s.until(() => s.errors.length > 0);
    expect(s.received).toEqual([]);
  });
});
