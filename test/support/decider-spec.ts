import { expect } from 'vitest';
import type { Decider, Decision } from '../../src/domain/shared/decider.js';
import type { DomainEvent } from '../../src/domain/shared/events.js';

/** What `when(command)` leads to: the events it must append, or a refusal that appends none. */
export interface DeciderThen<E extends DomainEvent, O> {
  /** The command appends exactly `events` (in order); when given, the outcome is exactly `outcome`. */
  then(events: E[], outcome?: O): Decision<E, O>;
  /** The command appends no event and answers exactly `outcome`. */
  thenNothing(outcome: O): Decision<E, O>;
}

export interface DeciderWhen<C, E extends DomainEvent, O> {
  when(command: C): DeciderThen<E, O>;
}

/**
 * given/when/then over a decider, in Emmett's manner: the given events are folded with `evolve` from
 * `initialState()`, the command is decided on that state, and the decision is compared with toEqual.
 *
 *   const given = DeciderSpecification.for(accountDecider);
 *   given([...events]).when(command).then([...expected], outcome);
 */
export const DeciderSpecification = {
  for<C, S, E extends DomainEvent, O>(decider: Decider<C, S, E, O>) {
    return (givenEvents: readonly E[] = []): DeciderWhen<C, E, O> => ({
      when(command: C): DeciderThen<E, O> {
        const decideNow = (): Decision<E, O> => {
          const state = givenEvents.reduce((s: S, e: E) => decider.evolve(s, e), decider.initialState());
          return decider.decide(command, state);
        };
        return {
          // biome-ignore lint/suspicious/noThenProperty: Emmett's given/when/then wording; this object is never awaited
          then(events: E[], ...outcome: [O?]): Decision<E, O> {
            const decision = decideNow();
            expect(decision.events).toEqual(events);
            if (outcome.length > 0) expect(decision.outcome).toEqual(outcome[0]);
            return decision;
          },
          thenNothing(outcome: O): Decision<E, O> {
            const decision = decideNow();
            expect(decision.events).toEqual([]);
            expect(decision.outcome).toEqual(outcome);
            return decision;
          },
        };
      },
    });
  },
};
