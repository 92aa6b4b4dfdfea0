import { type FoldModel, foldAsOf } from '../../domain/audit/as-of.js';
import type { DomainEvent } from '../../domain/shared/events.js';
import type { EventStore } from '../../infra/eventstore/port.js';

/**
 * A stream's state as it stood at `asOf`, folded from the stream itself (never from a read model).
 * `folded` is how many events had happened by then: 0 means the stream did not exist yet.
 */
export async function loadAsOf<S, E extends DomainEvent>(
  store: EventStore,
  stream: string,
  model: FoldModel<S, E>,
  asOf: Date,
): Promise<{ state: S; folded: number }> {
  return foldAsOf(await store.readStream(stream), model, asOf);
}
