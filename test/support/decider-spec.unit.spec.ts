import { describe, expect, it } from 'vitest';
import type { Decider } from '../../src/domain/shared/decider.js';
import { DeciderSpecification } from './decider-spec.js';

/** A counter that refuses to go above a limit: enough to show the specification passing and failing. */
type Added = { type: 'Added'; data: { by: number } };
type Command = { type: 'Add'; by: number };
type Outcome = { kind: 'Total'; total: number } | { kind: 'TooMuch' };
const LIMIT = 10;
const counter: Decider<Command, number, Added, Outcome> = {
  name: 'counter',
  initialState: () => 0,
  evolve: (total, event) => total + event.data.by,
  decide: (command, total) =>
    total + command.by > LIMIT
      ? { events: [], outcome: { kind: 'TooMuch' } }
      : {
          events: [{ type: 'Added', data: { by: command.by } }],
          outcome: { kind: 'Total', total: total + command.by },
        },
};
const given = DeciderSpecification.for(counter);
const added = (by: number): Added => ({ type: 'Added', data: { by } });

describe('DeciderSpecification', () => {
  it('folds the given events with evolve before deciding, and passes on the right expectation', () => {
    const decision = given([added(3), added(4)])
      .when({ type: 'Add', by: 2 })
      .then([added(2)], { kind: 'Total', total: 9 });
    expect(decision.outcome).toEqual({ kind: 'Total', total: 9 });
  });

  it('starts from initialState when nothing is given', () => {
    given()
      .when({ type: 'Add', by: 1 })
      .then([added(1)], { kind: 'Total', total: 1 });
  });

  it('checks only the events when then() gets no outcome', () => {
    given([])
      .when({ type: 'Add', by: 1 })
      .then([added(1)]);
  });

  it('passes thenNothing on a refusal that appends no event', () => {
    given([added(LIMIT)])
      .when({ type: 'Add', by: 1 })
      .thenNothing({ kind: 'TooMuch' });
  });

  it('throws when the expected events are wrong', () => {
    expect(() =>
      given([])
        .when({ type: 'Add', by: 1 })
        .then([added(2)]),
    ).toThrow();
    expect(() => given([]).when({ type: 'Add', by: 1 }).then([])).toThrow();
    expect(() =>
      given([])
        .when({ type: 'Add', by: 1 })
        .then([added(1), added(1)]),
    ).toThrow();
  });

  it('throws when the expected outcome is wrong', () => {
    expect(() =>
      given([added(3)])
        .when({ type: 'Add', by: 1 })
        .then([added(1)], { kind: 'Total', total: 1 }),
    ).toThrow();
  });

  it('throws on thenNothing when events were appended, or when the refusal is another', () => {
    expect(() => given([]).when({ type: 'Add', by: 1 }).thenNothing({ kind: 'TooMuch' })).toThrow();
    expect(() =>
      given([added(LIMIT)])
        .when({ type: 'Add', by: 1 })
        .thenNothing({ kind: 'Total', total: LIMIT }),
    ).toThrow();
  });

  it('throws when the given events should have led elsewhere (the fold is used)', () => {
    expect(() =>
      given([added(LIMIT)])
        .when({ type: 'Add', by: 1 })
        .then([added(1)], { kind: 'Total', total: LIMIT + 1 }),
    ).toThrow();
  });
});
