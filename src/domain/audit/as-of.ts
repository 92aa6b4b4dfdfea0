import type { StreamModel } from '../shared/decider.js';
import type { DomainEvent } from '../shared/events.js';

/** The part of a stored event an as-of fold needs. */
export interface TimedEvent {
  type: string;
  data: Record<string, unknown>;
  /** When the store recorded it: the fallback for events that carry no `occurredAt`. */
  recordedAt?: Date;
}

/** A fold as-of answers run: any stream model, whatever it is named. */
export type FoldModel<S, E extends DomainEvent> = Pick<StreamModel<S, E>, 'initialState' | 'evolve'>;

/** When an event happened: its `data.occurredAt` (what the domain recorded), else when it was stored. */
export function occurredAtOf(event: TimedEvent): Date | null {
  const stated = event.data.occurredAt;
  if (typeof stated === 'string') {
    const at = new Date(stated);
    if (!Number.isNaN(at.getTime())) return at;
  }
  return event.recordedAt ?? null;
}

/**
 * The state of a stream as it stood at `asOf`: the fold of its events that had happened by then
 * (occurredAt <= asOf, so an event at exactly that instant counts). The stream's order is its history,
 * so the fold stops at the first later event rather than skipping it: a stream whose clocks disagree
 * never yields a state that never existed. An event whose time is unknown stops the fold too.
 */
export function foldAsOf<S, E extends DomainEvent>(
  events: Iterable<TimedEvent>,
  model: FoldModel<S, E>,
  asOf: Date,
): { state: S; folded: number } {
  let state = model.initialState();
  let folded = 0;
  for (const event of events) {
    const at = occurredAtOf(event);
    if (at === null || at.getTime() > asOf.getTime()) break;
    state = model.evolve(state, { type: event.type, data: event.data } as unknown as E);
    folded += 1;
  }
  return { state, folded };
}
