import type { EventStore } from '../../infra/eventstore/port.js';

export interface ReadModelLag {
  /** Events in the log the read models have not applied yet. */
  positions: number;
  /**
   * How long the oldest of them has been waiting, in milliseconds (by the store's recording time, a
   * wall-clock time): 0 when the read models are at the head.
   */
  ms: number;
  head: number;
}

/**
 * How far the read models are behind the log. Every read model is applied by one runner in one
 * transaction per batch, so they share one checkpoint and one lag.
 */
export async function readModelLag(
  store: Pick<EventStore, 'headPosition' | 'readAll'>,
  checkpoint: number,
  now: () => number,
): Promise<ReadModelLag> {
  const head = await store.headPosition();
  if (head <= checkpoint) return { positions: 0, ms: 0, head };
  const [oldest] = await store.readAll({ after: checkpoint, maxCount: 1 });
  // Positions need not be dense (EventStoreDB), so the count of positions is an upper bound of events.
  const positions = head - checkpoint;
  const ms = oldest ? Math.max(0, now() - oldest.recordedAt.getTime()) : 0;
  return { positions, ms, head };
}
