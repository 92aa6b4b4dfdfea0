/**
 * Every time window (codes, locks, limits, sessions, deadlines) reads this clock, never Date.now(),
 * so that /dev/clock/advance moves them all and tests can set the time.
 */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/** The system clock plus an offset that only grows: the development clock behind /dev/clock. */
export class AdjustableClock implements Clock {
  private offsetMs = 0;
  constructor(private readonly base: Clock = systemClock) {}
  now(): Date {
    return new Date(this.base.now().getTime() + this.offsetMs);
  }
  advance(ms: number): Date {
    if (!Number.isFinite(ms) || ms < 0) throw new RangeError('the clock only moves forward');
    this.offsetMs += ms;
    return this.now();
  }
}

/** A clock that stands still until told to move: for tests. */
export class ManualClock implements Clock {
  constructor(private current: Date = new Date('2026-11-27T08:00:00.000Z')) {}
  now(): Date {
    return new Date(this.current.getTime());
  }
  advance(ms: number): Date {
    this.current = new Date(this.current.getTime() + ms);
    return this.now();
  }
  set(at: Date): void {
    this.current = new Date(at.getTime());
  }
}
