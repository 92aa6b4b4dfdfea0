import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { AccountCommand } from '../../src/domain/account/commands.js';
import { decide } from '../../src/domain/account/decide.js';
import type { AccountEvent } from '../../src/domain/account/events.js';
import { evolve } from '../../src/domain/account/evolve.js';
import { type AccountState, initialState } from '../../src/domain/account/state.js';
import { accountStatusAt } from '../../src/domain/account/status.js';

/**
 * Guessing codes across challenges: someone holding the password asks for code after code and guesses
 * each. Driven through the pure decider (fast, many runs), checked against a model that only keeps the
 * times of counted wrong codes.
 */
const T0 = Date.parse('2026-11-27T08:00:00.000Z');
const MIN = 60_000;
const HOUR = 3600_000;
const ID = 'b'.repeat(32);

const registration: AccountEvent[] = [
  {
    type: 'AccountRegistered',
    data: {
      accountId: ID,
      kind: 'CITIZEN',
      registeredAt: new Date(T0).toISOString(),
      passwordHash: 'pw',
      securityAnswerHash: 'answer',
      personal: {
        identifier: 'J00101999W',
        displayName: 'Arben Hoxha',
        email: 'arben@example.al',
        phone: '+355691234567',
        securityQuestion: 'Q?',
      },
    },
  },
  {
    type: 'OtpIssued',
    data: {
      accountId: ID,
      challengeId: 'reg',
      purpose: 'REGISTRATION',
      codeHash: 'reg',
      channels: ['SMS', 'EMAIL'],
      issuedAt: new Date(T0).toISOString(),
      expiresAt: new Date(T0 + 10 * MIN).toISOString(),
    },
  },
  {
    type: 'RegistrationConfirmed',
    data: {
      accountId: ID,
      challengeId: 'reg',
      channels: ['SMS', 'EMAIL'],
      confirmedAt: new Date(T0).toISOString(),
    },
  },
];

type Step =
  | { kind: 'code'; wrongGuesses: number; purpose: 'SIGN_IN' | 'PASSWORD_CHANGE' }
  | { kind: 'wait'; ms: number }
  | { kind: 'changePassword' };

/** One run: the account's events, and the guesses that were answered without being judged. */
function play(steps: Step[]) {
  let state: AccountState = registration.reduce(evolve, initialState());
  const events: AccountEvent[] = [...registration];
  let now = T0;
  let serial = 0;
  // Guesses go to the newest code handed out, even when a lock refused a new one.
  let current: { challengeId: string; purpose: 'SIGN_IN' | 'PASSWORD_CHANGE' } | null = null;
  const run = (command: AccountCommand) => {
    const decision = decide(command, state);
    state = decision.events.reduce(evolve, state);
    events.push(...decision.events);
    return decision;
  };
  for (const step of steps) {
    if (step.kind === 'wait') {
      now += step.ms;
      continue;
    }
    const challengeId = `c${++serial}`;
    const started = run({
      type: 'StartSignIn',
      accountId: ID,
      purpose: step.kind === 'code' ? step.purpose : 'PASSWORD_CHANGE',
      passwordMatches: true,
      codeLimit: { allowed: true },
      challengeId,
      codeHash: `right-${challengeId}`,
      now: new Date(now),
    });
    if (started.outcome.kind === 'CodeSent')
      current = { challengeId, purpose: step.kind === 'code' ? step.purpose : 'PASSWORD_CHANGE' };
    if (!current) continue;
    const guesses = step.kind === 'code' ? step.wrongGuesses : 0;
    const { purpose } = current;
    for (let i = 0; i < guesses; i++) {
      now += MIN;
      const common = { challengeId: current.challengeId, codeHash: `wrong-${i}`, now: new Date(now) };
      run(
        purpose === 'SIGN_IN'
          ? { type: 'CompleteSignIn', ...common, sessionId: `s${serial}-${i}`, grantAdmin: false }
          : { type: 'ChangePassword', ...common, passwordHash: 'pw', keepSessionId: 'none' },
      );
    }
    if (step.kind === 'changePassword' && started.outcome.kind === 'CodeSent')
      run({
        type: 'ChangePassword',
        challengeId,
        codeHash: `right-${challengeId}`,
        passwordHash: `pw-${serial}`,
        keepSessionId: 'none',
        now: new Date(now),
      });
  }
  return { events, state, now };
}

const steps = fc.array(
  fc.oneof(
    {
      weight: 5,
      arbitrary: fc.record({
        kind: fc.constant('code' as const),
        wrongGuesses: fc.integer({ min: 0, max: 5 }),
        purpose: fc.constantFrom('SIGN_IN' as const, 'PASSWORD_CHANGE' as const),
      }),
    },
    {
      weight: 3,
      arbitrary: fc.record({
        kind: fc.constant('wait' as const),
        ms: fc.constantFrom(MIN, 30 * MIN, HOUR, 3 * HOUR, 12 * HOUR, 24 * HOUR),
      }),
    },
    { weight: 1, arbitrary: fc.constant({ kind: 'changePassword' as const }) },
  ),
  { maxLength: 60 },
);

describe('wrong codes across challenges', () => {
  it('the tenth wrong code within 24 hours locks for 3 hours; none is judged during a lock; at most 18 a day', () => {
    fc.assert(
      fc.property(steps, (plan) => {
        const { events } = play(plan);
        // The model: times of counted wrong codes since the last password change, and the lock's end.
        let wrongAt: number[] = [];
        let lockedUntil = 0;
        for (let i = 0; i < events.length; i++) {
          const e = events[i]!;
          if (e.type === 'PasswordChanged') wrongAt = [];
          if (e.type === 'AccountLocked') lockedUntil = Date.parse(e.data.lockedUntil);
          if (e.type !== 'OtpRejected') continue;
          const at = Date.parse(e.data.rejectedAt);
          expect(at).toBeGreaterThanOrEqual(lockedUntil);
          wrongAt.push(at);
          const inWindow = wrongAt.filter((t) => t > at - 24 * HOUR).length;
          const next = events[i + 1];
          if (inWindow >= 10)
            expect(next).toEqual({
              type: 'AccountLocked',
              data: {
                accountId: ID,
                lockedAt: e.data.rejectedAt,
                lockedUntil: new Date(at + 3 * HOUR).toISOString(),
                reason: 'TOO_MANY_WRONG_CODES',
              },
            });
          else expect(next?.type).not.toBe('AccountLocked');
          // Whatever the plan, no day holds more than ten guesses plus one per lock that ended in it.
          expect(inWindow).toBeLessThanOrEqual(18);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('a code lock refuses the right password and the right code, and ends by itself', () => {
    const plan: Step[] = [
      { kind: 'code', wrongGuesses: 5, purpose: 'SIGN_IN' },
      { kind: 'code', wrongGuesses: 5, purpose: 'SIGN_IN' },
    ];
    const { state, now } = play(plan);
    expect(state.guard.lockedUntil).toBe(new Date(now + 3 * HOUR).toISOString());
    expect(accountStatusAt(state, new Date(now))).toMatchObject({ locked: true, failedPasswordAttempts: 0 });
    const start = (at: number) =>
      decide(
        {
          type: 'StartSignIn',
          accountId: ID,
          purpose: 'SIGN_IN',
          passwordMatches: true,
          codeLimit: { allowed: true },
          challengeId: 'x',
          codeHash: 'x',
          now: new Date(at),
        },
        state,
      );
    expect(start(now + 3 * HOUR - 1).outcome.kind).toBe('Locked');
    expect(start(now + 3 * HOUR).outcome.kind).toBe('CodeSent');
  });
});
