/**
 * The KurrentDB/EventStoreDB adapter against a real server: runs when EVENTSTORE_URL is set (hosted CI,
 * `docker compose up`), e.g. EVENTSTORE_URL='kurrentdb://localhost:2113?tls=false'. These machines have
 * no server, so here the suite is skipped, and says so in the output rather than passing silently.
 */
import { describe, it } from 'vitest';
import { openKurrentEventStore } from '../../src/infra/eventstore/kurrentdb.js';
import { eventStoreConformance } from './conformance.js';

const url = process.env.EVENTSTORE_URL;

if (url) {
  eventStoreConformance(`kurrentdb (${url})`, async () => {
    const store = openKurrentEventStore(url);
    // Fail fast with a clear message when the server is not there, instead of 30 s timeouts per test.
    await store.ping();
    return { store, cleanup: () => store.close() };
  });
} else {
  console.warn('[skip] EventStoreDB conformance: EVENTSTORE_URL is not set');
  describe.skip('EventStore conformance: kurrentdb (EVENTSTORE_URL is not set)', () => {
    it('needs a KurrentDB/EventStoreDB server', () => {});
  });
}
