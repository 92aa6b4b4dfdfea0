import type { EventStore } from '../../src/infra/eventstore/port.js';

/**
 * Headers that make a request's events carry `id` as their correlation id. Both names are sent: the
 * request id (x-request-id) is what the server takes once request ids are shared with the logs, the
 * older x-correlation-id until then. A check that no event carries the id is only as good as this:
 * each test that makes one also shows, with a request that must append, that the id does arrive.
 */
export const correlationHeaders = (id: string) => ({ 'x-correlation-id': id, 'x-request-id': id });

/** The types of the events appended after `position` that carry the correlation id. */
export async function eventsTagged(store: EventStore, position: number, id: string): Promise<string[]> {
  const appended = await store.readAll({ after: position });
  return appended.filter((e) => e.metadata.correlationId === id).map((e) => e.type);
}
