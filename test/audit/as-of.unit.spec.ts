import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type FoldModel, foldAsOf, type TimedEvent } from '../../src/domain/audit/as-of.js';
import type { DomainEvent } from '../../src/domain/shared/events.js';

/**
 * A small lockout model of our own (three wrong passwords lock for three hours), enough to ask
 * "was this account locked at t?" of random histories.
 */
type LockEvent =
  | DomainEvent<'PasswordRejected', { occurredAt: string }>
  | DomainEvent<'AccountLocked', { occurredAt: string; lockedUntil: string }>
  | DomainEvent<'PasswordAccepted', { occurredAt: string }>;

interface LockState {
  failures: number;
  lockedUntil: string | null;
}

const lockModel: FoldModel<LockState, LockEvent> = {
  initialState: () => ({ failures: 0, lockedUntil: null }),
  evolve(state, event) {
    switch (event.type) {
      case 'PasswordRejected':
        return { ...state, failures: state.failures + 1 };
      case 'AccountLocked':
        return { failures: 0, lockedUntil: event.data.lockedUntil };
      case 'PasswordAccepted':
        return { failures: 0, lockedUntil: state.lockedUntil };
      default: {
        const unknown: never = event;
        return unknown;
      }
    }
  },
};

const lockedAt = (state: LockState, at: Date) =>
  state.lockedUntil !== null && new Date(state.lockedUntil) > at;

const START = Date.parse('2026-03-01T08:00:00.000Z');
const HOUR = 3_600_000;

/** Random histories: steps of 0 to 2 hours (0 included: several events may share an instant). */
const history = fc
  .array(
    fc.tuple(
      fc.constantFrom('PasswordRejected', 'AccountLocked', 'PasswordAccepted'),
      fc.integer({ min: 0, max: 2 * HOUR }),
    ),
    {
      maxLength: 30,
    },
  )
  .map((steps) => {
    let at = START;
    return steps.map(([type, gap]): TimedEvent => {
      at += gap;
      const occurredAt = new Date(at).toISOString();
      const data: Record<string, unknown> =
        type === 'AccountLocked'
          ? { occurredAt, lockedUntil: new Date(at + 3 * HOUR).toISOString() }
          : { occurredAt };
      return { type, data };
    });
  });

describe('foldAsOf', () => {
  it('answers at t exactly as a fold of the events that had happened by t', () => {
    fc.assert(
      fc.property(history, fc.integer({ min: -HOUR, max: 70 * HOUR }), (events, offset) => {
        const t = new Date(START + offset);
        const before = events.filter((e) => Date.parse(e.data.occurredAt as string) <= t.getTime());
        const expected = before.reduce(
          (s, e) => lockModel.evolve(s, e as LockEvent),
          lockModel.initialState(),
        );
        const { state, folded } = foldAsOf(events, lockModel, t);
        expect(state).toEqual(expected);
        expect(folded).toBe(before.length);
        expect(lockedAt(state, t)).toBe(lockedAt(expected, t));
      }),
      { numRuns: 200 },
    );
  });

  it('sees a lock at 14:02 and its expiry three hours later', () => {
    const events: TimedEvent[] = [
      { type: 'PasswordRejected', data: { occurredAt: '2026-03-03T14:00:00.000Z' } },
      { type: 'PasswordRejected', data: { occurredAt: '2026-03-03T14:01:00.000Z' } },
      { type: 'PasswordRejected', data: { occurredAt: '2026-03-03T14:01:30.000Z' } },
      {
        type: 'AccountLocked',
        data: { occurredAt: '2026-03-03T14:01:30.000Z', lockedUntil: '2026-03-03T17:01:30.000Z' },
      },
    ];
    const asOf = (iso: string) => {
      const at = new Date(iso);
      return lockedAt(foldAsOf(events, lockModel, at).state, at);
    };
    expect(asOf('2026-03-03T14:01:29.999Z')).toBe(false);
    expect(asOf('2026-03-03T14:01:30.000Z')).toBe(true);
    expect(asOf('2026-03-03T14:02:00.000Z')).toBe(true);
    expect(asOf('2026-03-03T17:01:29.999Z')).toBe(true);
    expect(asOf('2026-03-03T17:01:30.000Z')).toBe(false);
    expect(foldAsOf(events, lockModel, new Date('2026-03-03T13:59:59.999Z')).folded).toBe(0);
  });

  it('falls back to the recording time for events that state none, and stops at the first later event', () => {
    const events: TimedEvent[] = [
      { type: 'PasswordRejected', data: {}, recordedAt: new Date('2026-03-03T10:00:00Z') },
      { type: 'PasswordRejected', data: { occurredAt: '2026-03-03T12:00:00Z' } },
      // Out of order (another instance's clock): the stream's order is its history.
      { type: 'PasswordRejected', data: { occurredAt: '2026-03-03T11:00:00Z' } },
    ];
    expect(foldAsOf(events, lockModel, new Date('2026-03-03T11:30:00Z')).state.failures).toBe(1);
    expect(foldAsOf(events, lockModel, new Date('2026-03-03T12:00:00Z')).state.failures).toBe(3);
  });
});
