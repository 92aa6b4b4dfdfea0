import type { FastifyInstance } from 'fastify';
import { type Client, createClient } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import WebSocket from 'ws';
import { buildApp } from '../../src/api/app.js';
import type { Services } from '../../src/app/services.js';
import { createServices } from '../../src/bootstrap/services.js';
import { loadConfig } from '../../src/infra/config.js';
import { fakeAuthenticator, tokenOf } from './fake-viewers.js';
import { type CaseApp, MUTATIONS, startCaseApp } from './support.js';
import { subscribe } from './ws-subscriber.js';

/**
 * Two API instances on one SQLite log (the same DATA_DIR, each with its own read models), as two
 * processes behind a load balancer would be: a change made through A reaches a subscriber of B,
 * because B's projection runner follows the shared log (by polling) and publishes what it applies.
 */
describe('applicationUpdated across instances sharing the log', () => {
  let a: CaseApp;
  let servicesB: Services;
  let appB: FastifyInstance;
  let client: Client;

  beforeAll(async () => {
    a = await startCaseApp();
    const config = loadConfig({
      NODE_ENV: 'test',
      DATA_DIR: a.dataDir,
      PORTAL_SECRET: 'test-secret-test-secret-test-secret-0123456789',
      ARGON2_MEMORY_KIB: '1024',
      ARGON2_TIME_COST: '1',
    });
    servicesB = await createServices(config, { clock: a.clock, readModelFile: 'readmodels-b.sqlite' });
    appB = await buildApp({ services: servicesB, authenticator: fakeAuthenticator });
    await appB.listen({ port: 0, host: '127.0.0.1' });
    const port = (appB.server.address() as { port: number }).port;
    client = createClient({
      url: `ws://127.0.0.1:${port}/graphql`,
      webSocketImpl: WebSocket,
      retryAttempts: 0,
      lazy: true,
      connectionParams: { authorization: `Bearer ${tokenOf('arben')}` },
    });
  });
  afterAll(async () => {
    await client?.dispose();
    await appB?.close();
    await servicesB?.close();
    await a?.close();
  });

  it('pushes a change made through instance A to a subscriber on instance B', async () => {
    const applied = await a.as('arben', MUTATIONS.apply, { serviceId: 'DPGJC-PERSONAL-CERTIFICATE' });
    const id = applied.data.applyForService.id as string;
    // 1. B learns of the application from the shared log before anyone may subscribe to it there.
    await vi.waitFor(() =>
      expect(servicesB.readDb.prepare('SELECT id FROM app_applications WHERE id = ?').get(id)).toBeTruthy(),
    );
    // graphql-ws does not tell the client when the server has registered it: count on B's emitter.
    let registered = 0;
    const emitter = (
      appB as unknown as {
        graphql: {
          pubsub: { emitter: { on: (topic: string, l: unknown, done?: (e?: unknown) => void) => unknown } };
        };
      }
    ).graphql.pubsub.emitter;
    const on = emitter.on.bind(emitter);
    emitter.on = (topic, listener, done) =>
      on(topic, listener, (error?: unknown) => {
        if (topic === `application:${id}`) registered++;
        done?.(error);
      });
    const updates = subscribe(client, { id });
    await vi.waitFor(() => expect(registered).toBe(1));
    // 2. Changes through A only; each reaches B's subscriber.
    await a.as('dpgjc1', MUTATIONS.assign, { id });
    await updates.until(() => updates.received.length >= 1);
    expect(updates.received[0]).toMatchObject({ id, status: 'IN_REVIEW', assignee: 'Caseworker, DPGJC' });
    await a.as('dpgjc1', MUTATIONS.request, { id, message: 'Which bank?' });
    await a.as('dpgjc1', MUTATIONS.reject, { id, reason: 'No answer' });
    await updates.until(() => updates.received.at(-1)?.status === 'REJECTED');
    expect(updates.errors).toEqual([]);
    // 3. Changes B picks up in one poll come as one push of the latest state; its timeline has every step.
    const last = updates.received.at(-1) as unknown as { timeline: Array<{ status: string }> };
    expect(last.timeline.map((step) => step.status)).toEqual([
      'SUBMITTED',
      'IN_REVIEW',
      'INFORMATION_REQUESTED',
      'REJECTED',
    ]);
  });
});
