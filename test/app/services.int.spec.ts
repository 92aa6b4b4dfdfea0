import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createServices } from '../../src/app/services.js';
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
});
