import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildApp } from '../../src/api/app.js';
import { createServices } from '../../src/bootstrap/services.js';
import { nidCheckLetter } from '../../src/domain/identity/identifiers.js';
import { loadConfig } from '../../src/infra/config.js';
import { openSqliteEventStore } from '../../src/infra/eventstore/sqlite.js';

describe('services', () => {
  it('create DATA_DIR when the event store lives elsewhere (EventStoreDB)', async () => {
    const root = mkdtempSync(join(tmpdir(), 'portal-services-'));
    const dataDir = join(root, 'not', 'there', 'yet');
    // Any store that is not under DATA_DIR stands in for a remote one.
    const store = openSqliteEventStore({ file: join(root, 'elsewhere', 'events.sqlite'), durable: false });
    const config = loadConfig({
      NODE_ENV: 'test',
      DATA_DIR: dataDir,
      PORTAL_SECRET: 'test-secret-test-secret-test-secret-0123456789',
    });
    const services = await createServices(config, { store });
    try {
      await services.store.ping();
      expect(services.projections.healthy).toBe(true);
    } finally {
      await services.close();
      rmSync(root, { recursive: true, force: true });
    }
  });

  it('closing writes delivery outcomes still held for a shared commit, without waiting out the deferral', async () => {
    const root = mkdtempSync(join(tmpdir(), 'portal-services-'));
    const file = join(root, 'events.sqlite');
    // A deferral longer than the test's timeout: close() must not wait for it.
    const store = openSqliteEventStore({ file, maxDeferMs: 10 * 60_000 });
    const config = loadConfig({
      NODE_ENV: 'test',
      DATA_DIR: root,
      DEV_TOOLS: '1',
      PORTAL_SECRET: 'test-secret-test-secret-test-secret-0123456789',
      ARGON2_MEMORY_KIB: '1024',
      ARGON2_TIME_COST: '1',
    });
    const services = await createServices(config, { store });
    const app = await buildApp({ services });
    try {
      const nid = `J00101998${nidCheckLetter('J00101998')}`;
      services.sandboxRegistries!.addCitizen({
        nid,
        idCardNumber: 'C1',
        firstName: 'Drita',
        lastName: 'Hoxha',
        birthDate: '1990-01-01',
      });
      const answer = await app.inject({
        method: 'POST',
        url: '/graphql',
        payload: {
          query: 'mutation($input: RegisterCitizenInput!) { registerCitizen(input: $input) { __typename } }',
          variables: {
            input: {
              nid,
              idCardNumber: 'C1',
              email: 'drita@example.al',
              phone: '+355691112233',
              password: 'një fjalëkalim i gjatë',
              securityQuestion: 'Q?',
              securityAnswer: 'A',
            },
          },
        },
      });
      expect(answer.json().data.registerCitizen.__typename).toBe('OtpSent');
      // Sent to both channels; the outcomes now wait in the store for a commit to share.
      while (services.outbox!.list().length < 2) await new Promise((resolve) => setTimeout(resolve, 5));
      await new Promise((resolve) => setTimeout(resolve, 100));
    } finally {
      await app.close();
      await services.close();
    }
    const reopened = openSqliteEventStore({ file });
    try {
      const types = (await reopened.readAll()).map((e) => e.type);
      expect(types.filter((t) => t === 'OtpDelivered')).toHaveLength(2);
    } finally {
      await reopened.close();
      rmSync(root, { recursive: true, force: true });
    }
  });
});
