import fc from 'fast-check';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { accountIdFor } from '../../src/app/account/account-id.js';
import { accountStream } from '../../src/domain/shared/streams.js';
import type { RecordedEvent } from '../../src/infra/eventstore/port.js';
import { startTestApp, type TestApp } from '../support/harness.js';
import {
  COMPLETE_CHANGE,
  COMPLETE_LOGIN,
  latestCode,
  registeredPerson,
  START_CHANGE,
  START_LOGIN,
} from './flows.js';

/**
 * Model-based test of one account's life: wrong and right passwords, right, wrong and late codes, the
 * clock moving, password changes. The model is far simpler than the code: a failure count, a lock
 * end, and the codes handed out.
 */
const MIN = 60_000;
const HOUR = 3600_000;

interface ModelChallenge {
  id: string;
  code: string;
  expiresAt: number;
  wrongTries: number;
  used: boolean;
  voided: boolean;
}

interface Model {
  failures: number;
  /** Attempts answered AccountLocked without being judged: each must be a SignInRefused event. */
  refusals: number;
  /** When wrong codes were typed, over all challenges, since the last password change. */
  wrongCodesAt: number[];
  lockedUntil: number;
  challenges: ModelChallenge[];
  /** The session the test holds: it ends 30 minutes after last use or 12 hours after it started. */
  session: { startedAt: number; lastSeenAt: number } | null;
}

interface Real {
  t: TestApp;
  nid: string;
  email: string;
  password: string;
  token: string;
  /** Every password and code ever used, to check none is in an event. */
  secrets: Set<string>;
}

const now = (r: Real) => r.t.clock.now().getTime();
const locked = (m: Model, r: Real) => now(r) < m.lockedUntil;

class WrongPassword implements fc.AsyncCommand<Model, Real> {
  check = () => true;
  async run(m: Model, r: Real) {
    const outboxBefore = r.t.services.outbox.list(r.email).length;
    const answer = (await r.t.gql(START_LOGIN, { identifier: r.nid, password: 'definitely wrong' })).data
      .startLogin;
    if (locked(m, r)) {
      m.refusals += 1;
      expect(answer).toEqual({
        __typename: 'AccountLocked',
        lockedUntil: new Date(m.lockedUntil).toISOString(),
      });
    } else {
      m.failures += 1;
      if (m.failures === 3) {
        m.lockedUntil = now(r) + 3 * HOUR;
        m.failures = 0;
        expect(answer).toEqual({
          __typename: 'AccountLocked',
          lockedUntil: new Date(m.lockedUntil).toISOString(),
        });
      } else expect(answer.__typename).toBe('LoginRejected');
    }
    expect(r.t.services.outbox.list(r.email)).toHaveLength(outboxBefore);
  }
  toString = () => 'WrongPassword';
}

class RightPassword implements fc.AsyncCommand<Model, Real> {
  check = () => true;
  async run(m: Model, r: Real) {
    const outboxBefore = r.t.services.outbox.list(r.email).length;
    const answer = (await r.t.gql(START_LOGIN, { identifier: r.nid, password: r.password })).data.startLogin;
    if (locked(m, r)) {
      // A correct password during a lock yields no code (and so no session).
      m.refusals += 1;
      expect(answer.__typename).toBe('AccountLocked');
      expect(r.t.services.outbox.list(r.email)).toHaveLength(outboxBefore);
      return;
    }
    expect(answer.__typename).toBe('OtpSent');
    m.failures = 0;
    for (const c of m.challenges) c.voided = true;
    const code = latestCode(r.t, r.email);
    r.secrets.add(code);
    m.challenges.push({
      id: answer.challengeId,
      code,
      expiresAt: now(r) + 10 * MIN,
      wrongTries: 0,
      used: false,
      voided: false,
    });
  }
  toString = () => 'RightPassword';
}

class EnterCode implements fc.AsyncCommand<Model, Real> {
  constructor(
    readonly pick: number,
    readonly right: boolean,
  ) {}
  check = (m: Readonly<Model>) => m.challenges.length > 0;
  async run(m: Model, r: Real) {
    const c = m.challenges[this.pick % m.challenges.length]!;
    const code = this.right ? c.code : c.code === '999999' ? '999998' : '999999';
    const answer = (await r.t.gql(COMPLETE_LOGIN, { challengeId: c.id, code })).data.completeLogin;
    let expected: unknown;
    if (locked(m, r)) {
      m.refusals += 1;
      expected = { __typename: 'AccountLocked', lockedUntil: new Date(m.lockedUntil).toISOString() };
    } else if (c.used) expected = { __typename: 'CodeRejected', reason: 'ALREADY_USED', attemptsLeft: 0 };
    else if (c.wrongTries >= 5)
      expected = { __typename: 'CodeRejected', reason: 'TOO_MANY_ATTEMPTS', attemptsLeft: 0 };
    else if (c.voided || now(r) >= c.expiresAt)
      expected = { __typename: 'CodeRejected', reason: 'EXPIRED', attemptsLeft: 0 };
    else if (!this.right) {
      c.wrongTries += 1;
      m.wrongCodesAt.push(now(r));
      expected =
        c.wrongTries >= 5
          ? { __typename: 'CodeRejected', reason: 'TOO_MANY_ATTEMPTS', attemptsLeft: 0 }
          : { __typename: 'CodeRejected', reason: 'INVALID', attemptsLeft: 5 - c.wrongTries };
      // The tenth wrong code within a day, whichever codes they were, locks for three hours.
      if (m.wrongCodesAt.filter((at) => at > now(r) - 24 * HOUR).length >= 10) {
        m.lockedUntil = now(r) + 3 * HOUR;
        m.failures = 0;
        expected = { __typename: 'AccountLocked', lockedUntil: new Date(m.lockedUntil).toISOString() };
      }
    } else {
      c.used = true;
      expect(answer.__typename).toBe('SessionStarted');
      r.secrets.add(answer.token);
      r.token = answer.token;
      m.session = { startedAt: now(r), lastSeenAt: now(r) };
      return;
    }
    expect(answer).toEqual(expected);
  }
  toString = () => `EnterCode(${this.pick}, ${this.right ? 'right' : 'wrong'})`;
}

class MoveClock implements fc.AsyncCommand<Model, Real> {
  constructor(readonly ms: number) {}
  check = () => true;
  async run(_m: Model, r: Real) {
    r.t.clock.advance(this.ms);
  }
  toString = () => `MoveClock(${this.ms / MIN} min)`;
}

class ChangePassword implements fc.AsyncCommand<Model, Real> {
  constructor(readonly suffix: number) {}
  check = () => true;
  async run(m: Model, r: Real) {
    const response = await r.t.gql(START_CHANGE, { currentPassword: r.password }, { token: r.token });
    const session = m.session;
    if (!session || now(r) - session.lastSeenAt >= 30 * MIN || now(r) >= session.startedAt + 12 * HOUR) {
      expect(response.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
      m.session = null;
      return;
    }
    session.lastSeenAt = now(r);
    const started = response.data.startPasswordChange;
    if (locked(m, r)) {
      m.refusals += 1;
      expect(started.__typename).toBe('AccountLocked');
      return;
    }
    expect(started.__typename).toBe('OtpSent');
    m.failures = 0;
    const code = latestCode(r.t, r.email);
    const newPassword = `fjalëkalim i ri numër ${this.suffix} ${now(r)}`;
    const changed = (
      await r.t.gql(
        COMPLETE_CHANGE,
        { challengeId: started.challengeId, code, newPassword },
        { token: r.token },
      )
    ).data.completePasswordChange;
    expect(changed.__typename).toBe('PasswordUpdated');
    r.secrets.add(code);
    r.secrets.add(newPassword);
    r.password = newPassword;
    m.wrongCodesAt = [];
    // A password change voids every code still open (a sign-in started with the old password too).
    for (const c of m.challenges) if (!c.used) c.voided = true;
  }
  toString = () => `ChangePassword(${this.suffix})`;
}

/** Invariants read from the stream itself, whatever the model says. */
function checkStream(events: RecordedEvent[], secrets: Set<string>, refusals: number) {
  const text = JSON.stringify(events.map((e) => e.data));
  for (const secret of secrets) expect(text).not.toContain(secret);
  let lockedUntil = 0;
  const verified = new Set<string>();
  const issued = new Map<string, number>();
  let lastFailureAt = 0;
  let lastFailureCount = 0;
  for (const e of events) {
    const d = e.data as {
      rejectedAt: string;
      countedFailures: number;
      lockedUntil: string;
      challengeId: string;
      expiresAt: string;
      verifiedAt: string;
      refusedAt: string;
    };
    if (e.type === 'PasswordRejected') {
      const at = Date.parse(d.rejectedAt);
      // Never a counted failure inside a lock.
      expect(at >= lockedUntil).toBe(true);
      expect(d.countedFailures).toBeLessThanOrEqual(3);
      lastFailureAt = at;
      lastFailureCount = d.countedFailures;
    }
    if (e.type === 'AccountLocked') {
      const reason = (e.data as { reason?: string }).reason;
      if (reason === 'TOO_MANY_WRONG_CODES') {
        // A code lock comes with the wrong code that caused it and ends three hours after it.
        const previous = events[events.indexOf(e) - 1]!;
        expect(previous.type).toBe('OtpRejected');
        expect(Date.parse(d.lockedUntil)).toBe(Date.parse(previous.data.rejectedAt as string) + 3 * HOUR);
      } else {
        // The lock follows the third failure and ends exactly three hours after it.
        expect(reason).toBe('TOO_MANY_WRONG_PASSWORDS');
        expect(lastFailureCount).toBe(3);
        expect(Date.parse(d.lockedUntil)).toBe(lastFailureAt + 3 * HOUR);
      }
      lastFailureCount = 0;
      lockedUntil = Date.parse(d.lockedUntil);
    }
    // No code is judged during a lock.
    if (e.type === 'OtpRejected') expect(Date.parse(d.rejectedAt)).toBeGreaterThanOrEqual(lockedUntil);
    if (e.type === 'SignInRefused') {
      // Refused only inside a lock, and never counted: the next failure's count does not include it.
      expect(Date.parse(d.refusedAt)).toBeLessThan(lockedUntil);
      expect(d.lockedUntil).toBe(new Date(lockedUntil).toISOString());
    }
    if (e.type === 'PasswordChanged') lockedUntil = 0;
    if (e.type === 'OtpIssued') issued.set(d.challengeId, Date.parse(d.expiresAt));
    if (e.type === 'OtpVerified') {
      // A code is accepted at most once, and never after it expired.
      expect(verified.has(d.challengeId)).toBe(false);
      verified.add(d.challengeId);
      expect(Date.parse(d.verifiedAt)).toBeLessThan(issued.get(d.challengeId)!);
    }
  }
  // Every attempt answered AccountLocked without being judged is recorded, once.
  expect(events.filter((e) => e.type === 'SignInRefused')).toHaveLength(refusals);
}

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({
    LIMIT_CODES_PER_ACCOUNT_PER_HOUR: '100000',
    LIMIT_SIGNIN_PER_IP_PER_MINUTE: '100000',
  });
});
afterAll(async () => {
  await t?.close();
});

it('an account’s life follows the model', async () => {
  const commands = fc.commands(
    [
      fc.constant(new WrongPassword()),
      fc.constant(new RightPassword()),
      fc.tuple(fc.nat(4), fc.boolean()).map(([pick, right]) => new EnterCode(pick, right)),
      // Guessing is weighted up so that some runs reach the wrong-code lock.
      fc.nat(4).map((pick) => new EnterCode(pick, false)),
      fc.nat(4).map((pick) => new EnterCode(pick, false)),
      fc.constantFrom(MIN, 5 * MIN, 10 * MIN, HOUR, 3 * HOUR - 1, 3 * HOUR).map((ms) => new MoveClock(ms)),
      fc.nat(1000).map((n) => new ChangePassword(n)),
    ],
    { maxCommands: 40 },
  );
  await fc.assert(
    fc.asyncProperty(commands, async (cmds) => {
      const person = await registeredPerson(t);
      const real: Real = {
        t,
        nid: person.nid,
        email: person.email,
        password: person.password,
        token: person.token,
        secrets: new Set([person.password, person.token]),
      };
      const model: Model = {
        failures: 0,
        refusals: 0,
        wrongCodesAt: [],
        lockedUntil: 0,
        challenges: [],
        session: { startedAt: t.clock.now().getTime(), lastSeenAt: t.clock.now().getTime() },
      };
      await fc.asyncModelRun(() => ({ model, real }), cmds);
      const stream = accountStream(accountIdFor(t.services.keys.streamNames, person.nid));
      checkStream(await t.services.store.readStream(stream), real.secrets, model.refusals);
    }),
    { numRuns: 25 },
  );
});
