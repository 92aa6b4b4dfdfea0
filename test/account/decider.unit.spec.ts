import { describe, expect, it } from 'vitest';
import type { AccountCommand } from '../../src/domain/account/commands.js';
import { decide } from '../../src/domain/account/decide.js';
import type { AccountEvent } from '../../src/domain/account/events.js';
import { evolve } from '../../src/domain/account/evolve.js';
import { type AccountState, initialState } from '../../src/domain/account/state.js';

const T0 = new Date('2026-11-27T08:00:00.000Z');
const at = (ms: number) => new Date(T0.getTime() + ms);
const MIN = 60_000;
const HOUR = 3600_000;
const ID = 'a'.repeat(32);

/** given(events).when(command).then(events, outcome): the decider as a table of facts. */
function given(...events: AccountEvent[]) {
  const state = events.reduce<AccountState>(evolve, initialState());
  return {
    state,
    when(command: AccountCommand) {
      return decide(command, state);
    },
  };
}

const registered: AccountEvent = {
  type: 'AccountRegistered',
  data: {
    accountId: ID,
    kind: 'CITIZEN',
    registeredAt: T0.toISOString(),
    passwordHash: '$argon2id$hash',
    securityAnswerHash: '$argon2id$answer',
    personal: {
      identifier: 'J00101999W',
      displayName: 'Arben Hoxha',
      email: 'arben@example.al',
      phone: '+355691234567',
      securityQuestion: 'Emri i gjyshes?',
    },
  },
};
const otp = (
  challengeId: string,
  purpose: 'REGISTRATION' | 'SIGN_IN' | 'PASSWORD_CHANGE',
  issuedAt = T0,
): AccountEvent => ({
  type: 'OtpIssued',
  data: {
    accountId: ID,
    challengeId,
    purpose,
    codeHash: `hash-${challengeId}`,
    channels: ['SMS', 'EMAIL'],
    issuedAt: issuedAt.toISOString(),
    expiresAt: new Date(issuedAt.getTime() + 10 * MIN).toISOString(),
  },
});
const confirmed: AccountEvent[] = [
  registered,
  otp('reg', 'REGISTRATION'),
  { type: 'OtpVerified', data: { accountId: ID, challengeId: 'reg', verifiedAt: T0.toISOString() } },
  {
    type: 'RegistrationConfirmed',
    data: { accountId: ID, challengeId: 'reg', channels: ['SMS', 'EMAIL'], confirmedAt: T0.toISOString() },
  },
];
const rejected = (n: number, now = T0): AccountEvent => ({
  type: 'PasswordRejected',
  data: { accountId: ID, countedFailures: n, rejectedAt: now.toISOString() },
});
const signIn = (passwordMatches: boolean, now = T0): AccountCommand => ({
  type: 'StartSignIn',
  accountId: ID,
  purpose: 'SIGN_IN',
  passwordMatches,
  codeLimit: { allowed: true },
  challengeId: 'c1',
  codeHash: 'hash-c1',
  now,
});
const complete = (challengeId: string, codeHash: string, now = T0): AccountCommand => ({
  type: 'CompleteSignIn',
  challengeId,
  codeHash,
  sessionId: 's1',
  grantAdmin: false,
  now,
});

describe('registration', () => {
  const register = (now = T0): AccountCommand => ({
    type: 'RegisterAccount',
    accountId: ID,
    kind: 'CITIZEN',
    identifier: 'J00101999W',
    displayName: 'Arben Hoxha',
    email: 'arben@example.al',
    phone: '+355691234567',
    securityQuestion: 'Emri i gjyshes?',
    passwordHash: 'h',
    securityAnswerHash: 'a',
    challengeId: 'reg2',
    codeHash: 'hash-reg2',
    now,
  });

  it('records the registration and a code for both channels on a new stream', () => {
    const { events, outcome } = given().when(register());
    expect(events.map((e) => e.type)).toEqual(['AccountRegistered', 'OtpIssued']);
    expect(outcome).toMatchObject({ kind: 'CodeSent', expiresAt: at(10 * MIN).toISOString() });
  });

  it('refuses while a pending registration code is still valid, and allows it once that code expired', () => {
    expect(given(registered, otp('reg', 'REGISTRATION')).when(register(at(9 * MIN))).outcome.kind).toBe(
      'AlreadyRegistered',
    );
    expect(given(registered, otp('reg', 'REGISTRATION')).when(register(at(10 * MIN))).outcome.kind).toBe(
      'CodeSent',
    );
  });

  it('refuses a confirmed account for good', () => {
    expect(given(...confirmed).when(register(at(48 * HOUR))).outcome.kind).toBe('AlreadyRegistered');
  });

  it('confirms with the right code and starts a session, granting ADMIN when listed', () => {
    const { events, outcome } = given(registered, otp('reg', 'REGISTRATION')).when({
      type: 'ConfirmRegistration',
      challengeId: 'reg',
      codeHash: 'hash-reg',
      sessionId: 's1',
      grantAdmin: true,
      now: at(MIN),
    });
    expect(events.map((e) => e.type)).toEqual([
      'OtpVerified',
      'RegistrationConfirmed',
      'SessionStarted',
      'RoleGranted',
    ]);
    expect(outcome).toMatchObject({ kind: 'SessionStarted', sessionId: 's1' });
  });
});

describe('three strikes and three hours', () => {
  it('counts the first two wrong passwords and answers rejected', () => {
    expect(given(...confirmed).when(signIn(false))).toEqual({
      events: [rejected(1)],
      outcome: { kind: 'SignInRejected' },
    });
    expect(given(...confirmed, rejected(1)).when(signIn(false)).events).toEqual([rejected(2)]);
  });

  it('appends the third failure together with a lock ending exactly three hours later', () => {
    const now = at(5 * MIN);
    const { events, outcome } = given(...confirmed, rejected(1), rejected(2)).when(signIn(false, now));
    const lockedUntil = at(5 * MIN + 3 * HOUR).toISOString();
    expect(events).toEqual([
      rejected(3, now),
      {
        type: 'AccountLocked',
        data: { accountId: ID, lockedAt: now.toISOString(), lockedUntil, reason: 'TOO_MANY_WRONG_PASSWORDS' },
      },
    ]);
    expect(outcome).toEqual({ kind: 'Locked', lockedUntil });
  });

  const locked: AccountEvent[] = [
    ...confirmed,
    rejected(1),
    rejected(2),
    rejected(3),
    {
      type: 'AccountLocked',
      data: { accountId: ID, lockedAt: T0.toISOString(), lockedUntil: at(3 * HOUR).toISOString() },
    },
  ];

  it('while locked records the refused attempt, counts nothing and sends no code, even for the right password', () => {
    const lockedUntil = at(3 * HOUR).toISOString();
    const refusal = (step: string) => ({
      type: 'SignInRefused',
      data: { accountId: ID, step, reason: 'LOCKED', lockedUntil, refusedAt: at(3 * HOUR - 1).toISOString() },
    });
    expect(given(...locked).when(signIn(true, at(3 * HOUR - 1)))).toEqual({
      events: [refusal('START_LOGIN')],
      outcome: { kind: 'Locked', lockedUntil },
    });
    expect(
      given(...locked).when({
        ...signIn(false, at(3 * HOUR - 1)),
        purpose: 'PASSWORD_CHANGE',
      } as AccountCommand),
    ).toEqual({
      events: [refusal('START_PASSWORD_CHANGE')],
      outcome: { kind: 'Locked', lockedUntil },
    });
    // A refusal neither counts as a failure nor moves the lock's end.
    const after = given(...locked, refusal('START_LOGIN') as AccountEvent).state;
    expect(after.guard).toEqual(given(...locked).state.guard);
  });

  it('once the lock ends, counting starts again from zero', () => {
    const { events, outcome } = given(...locked).when(signIn(false, at(3 * HOUR)));
    expect(events).toEqual([rejected(1, at(3 * HOUR))]);
    expect(outcome.kind).toBe('SignInRejected');
    expect(given(...locked).when(signIn(true, at(3 * HOUR))).outcome.kind).toBe('CodeSent');
  });

  it('an accepted password resets the count', () => {
    const accepted: AccountEvent = {
      type: 'PasswordAccepted',
      data: { accountId: ID, acceptedAt: T0.toISOString() },
    };
    expect(given(...confirmed, rejected(1), rejected(2), accepted).when(signIn(false)).events).toEqual([
      rejected(1),
    ]);
  });

  it('a password change resets the count', () => {
    const changed: AccountEvent = {
      type: 'PasswordChanged',
      data: { accountId: ID, passwordHash: 'new', changedAt: T0.toISOString() },
    };
    expect(given(...confirmed, rejected(1), rejected(2), changed).when(signIn(false)).events).toEqual([
      rejected(1),
    ]);
  });

  it('an identifier without an account locks the same way on its attempts stream', () => {
    const { events, outcome } = given(rejected(1), rejected(2)).when(signIn(true));
    expect(events.map((e) => e.type)).toEqual(['PasswordRejected', 'AccountLocked']);
    expect(outcome.kind).toBe('Locked');
  });

  it('the right password with the code limit reached answers rate limited and sends nothing', () => {
    const { events, outcome } = given(...confirmed).when({
      ...signIn(true),
      codeLimit: { allowed: false, retryAfterSeconds: 60 },
    } as AccountCommand);
    expect(events.map((e) => e.type)).toEqual(['PasswordAccepted']);
    expect(outcome).toEqual({ kind: 'RateLimited', retryAfterSeconds: 60 });
  });
});

describe('one-time codes', () => {
  const withCode = [...confirmed, otp('c1', 'SIGN_IN')];
  const wrong = (n: number): AccountEvent => ({
    type: 'OtpRejected',
    data: { accountId: ID, challengeId: 'c1', wrongTries: n, rejectedAt: T0.toISOString() },
  });

  it('the right code within ten minutes starts a session', () => {
    const { events, outcome } = given(...withCode).when(complete('c1', 'hash-c1', at(10 * MIN - 1)));
    expect(events.map((e) => e.type)).toEqual(['OtpVerified', 'SessionStarted']);
    expect(outcome.kind).toBe('SessionStarted');
  });

  it('refuses a code at ten minutes', () => {
    expect(given(...withCode).when(complete('c1', 'hash-c1', at(10 * MIN))).outcome).toEqual({
      kind: 'CodeRejected',
      reason: 'EXPIRED',
      attemptsLeft: 0,
    });
  });

  it('counts wrong codes and kills the code at the fifth', () => {
    expect(given(...withCode).when(complete('c1', 'nope'))).toEqual({
      events: [wrong(1)],
      outcome: { kind: 'CodeRejected', reason: 'INVALID', attemptsLeft: 4 },
    });
    const fourWrong = [...withCode, wrong(1), wrong(2), wrong(3), wrong(4)];
    expect(given(...fourWrong).when(complete('c1', 'nope')).outcome).toEqual({
      kind: 'CodeRejected',
      reason: 'TOO_MANY_ATTEMPTS',
      attemptsLeft: 0,
    });
    expect(given(...fourWrong, wrong(5)).when(complete('c1', 'hash-c1')).outcome).toMatchObject({
      reason: 'TOO_MANY_ATTEMPTS',
    });
  });

  it('accepts a code once', () => {
    const used: AccountEvent = {
      type: 'OtpVerified',
      data: { accountId: ID, challengeId: 'c1', verifiedAt: T0.toISOString() },
    };
    expect(given(...withCode, used).when(complete('c1', 'hash-c1')).outcome).toMatchObject({
      reason: 'ALREADY_USED',
    });
  });

  it('does not take a code issued for another purpose', () => {
    const change = [...confirmed, otp('p1', 'PASSWORD_CHANGE')];
    expect(given(...change).when(complete('p1', 'hash-p1')).outcome).toMatchObject({ reason: 'INVALID' });
  });

  it('a newer sign-in code voids the older one', () => {
    expect(given(...withCode, otp('c2', 'SIGN_IN')).when(complete('c1', 'hash-c1')).outcome).toMatchObject({
      reason: 'EXPIRED',
    });
  });

  it('refuses a session while locked even with the right code', () => {
    const lock: AccountEvent = {
      type: 'AccountLocked',
      data: { accountId: ID, lockedAt: T0.toISOString(), lockedUntil: at(3 * HOUR).toISOString() },
    };
    const lockedUntil = at(3 * HOUR).toISOString();
    expect(given(...withCode, lock).when(complete('c1', 'hash-c1', at(MIN)))).toEqual({
      events: [
        {
          type: 'SignInRefused',
          data: {
            accountId: ID,
            step: 'COMPLETE_LOGIN',
            reason: 'LOCKED',
            lockedUntil,
            refusedAt: at(MIN).toISOString(),
          },
        },
      ],
      outcome: { kind: 'Locked', lockedUntil },
    });
  });

  it('resend issues a new code for the same challenge with a fresh expiry', () => {
    const { events, outcome } = given(...withCode).when({
      type: 'ResendCode',
      challengeId: 'c1',
      codeHash: 'hash-new',
      now: at(5 * MIN),
    });
    expect(events).toHaveLength(1);
    expect(outcome).toMatchObject({
      kind: 'CodeSent',
      challengeId: 'c1',
      expiresAt: at(15 * MIN).toISOString(),
    });
  });
});

describe('sessions and password change', () => {
  const session = (id: string): AccountEvent => ({
    type: 'SessionStarted',
    data: {
      accountId: ID,
      sessionId: id,
      startedAt: T0.toISOString(),
      expiresAt: at(12 * HOUR).toISOString(),
    },
  });

  it('a password change ends every session but the caller’s', () => {
    const { events, outcome } = given(
      ...confirmed,
      session('s1'),
      session('s2'),
      session('s3'),
      otp('p1', 'PASSWORD_CHANGE'),
    ).when({
      type: 'ChangePassword',
      challengeId: 'p1',
      codeHash: 'hash-p1',
      passwordHash: 'new',
      keepSessionId: 's2',
      now: at(MIN),
    });
    expect(events.map((e) => e.type)).toEqual([
      'OtpVerified',
      'PasswordChanged',
      'SessionEnded',
      'SessionEnded',
    ]);
    expect(outcome).toEqual({ kind: 'PasswordChanged', endedSessions: ['s1', 's3'] });
  });

  it('logout ends a session once', () => {
    const end: AccountCommand = { type: 'EndSession', sessionId: 's1', reason: 'LOGOUT', now: T0 };
    expect(
      given(...confirmed, session('s1'))
        .when(end)
        .events.map((e) => e.type),
    ).toEqual(['SessionEnded']);
    const ended: AccountEvent = {
      type: 'SessionEnded',
      data: { accountId: ID, sessionId: 's1', reason: 'LOGOUT', endedAt: T0.toISOString() },
    };
    expect(given(...confirmed, session('s1'), ended).when(end).events).toEqual([]);
  });
});

describe('roles', () => {
  it('grants a caseworker role only with an institution, and revokes only what is held', () => {
    const grant = (institution: string | null): AccountCommand => ({
      type: 'GrantRole',
      role: 'CASEWORKER',
      institution,
      reason: 'new staff',
      now: T0,
    });
    expect(given(...confirmed).when(grant(null)).outcome).toEqual({
      kind: 'RoleRefused',
      field: 'institution',
      code: 'REQUIRED',
    });
    expect(
      given(...confirmed)
        .when(grant('DPGJC'))
        .events.map((e) => e.type),
    ).toEqual(['RoleGranted']);
    expect(
      given(...confirmed).when({ type: 'RevokeRole', role: 'AUDITOR', reason: 'x', now: T0 }).outcome,
    ).toMatchObject({
      code: 'NOT_HELD',
    });
    expect(given(registered).when(grant('DPGJC')).outcome).toMatchObject({ code: 'NOT_REGISTERED' });
  });
});
