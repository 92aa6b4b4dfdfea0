import type { DomainEvent } from './events.js';

/**
 * How a stream folds: its first state and one step per event. A use case folds only what it needs
 * (ZITADEL's write models), so one stream may have several models; `name` keeps their cached folds
 * apart.
 */
export interface StreamModel<S, E extends DomainEvent> {
  readonly name: string;
  initialState(): S;
  evolve(state: S, event: E): S;
}

/** What a decider answers: the events to append (none for a refusal) and the outcome the caller sees. */
export interface Decision<E extends DomainEvent, O> {
  events: E[];
  outcome: O;
}

/**
 * One shape for every stream type (Emmett's decider): a pure `decide` over the folded state, with
 * time, ids and hashes already in the command, and the fold it decides on.
 */
export interface Decider<C, S, E extends DomainEvent, O> extends StreamModel<S, E> {
  decide(command: C, state: S): Decision<E, O>;
}
