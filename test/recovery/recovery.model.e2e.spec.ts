import fc from 'fast-check';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { accountIdFor } from '../../src/app/account/account-id.js';
import { accountStream } from '../../src/domain/shared/streams.js';
import { PASSWORD, registeredPerson, START_LOGIN, signIn } from '../account/flows.js';
import { startTestApp, type TestApp } from '../support/harness.js';
import {
  ANSWER,
  COMPLETE_LOGIN_ANY,
  CONFIRM_EMAIL,
  grant,
  latestSecret,
  REGENERATE,
  SET_NEW_PASSWORD,
  START_RECOVERY,
  VERIFY_RECOVERY,
} from './flows.js';

/**
 * Model-based test of recovery: both branches, right and wrong codes, answers and e-mails, the clock
 * (expiry), locks, older recoveries, temporary passwords and helpdesk regeneration, against the real
 * app over GraphQL. The model is a few counters and timestamps; the stream is checked afterwards:
 * every password set follows a proven identity (code, then answer or e-mail) or a helpdesk regeneration.
 */
const MIN = 60_000;
const HOUR = 3600_000;

interface ModelRecovery {
  id: string;
  code: string;
  codeExpiresAt: number;
  expiresAt: number;
  codeWrongTries: number;
  /** ENDED: a password was set while it ran. */
  stage: 'CODE_SENT' | 'CODE_VERIFIED' | 'DONE' | 'FAILED' | 'ENDED';
  wrong: number;
}
interface Model {
  recoveries: ModelRecovery[];
  temporary: {
    password: string;
    expiresAt: number;
    wrongTries: number;
    used: boolean;
    requiresQ: boolean;
  } | null;
  grant: { token: string; expiresAt: number; used: boolean; requiresQ: boolean } | null;
  failures: number;
  lockedUntil: number;
  passwordsSet: number;
}
interface Real {
  t: TestApp;
  nid: string;
  email: string;
  phone: string;
  helpdesk: { nid: string; email: string };
}

const now = (r: Real) => r.t.clock.now().getTime();
const current = (m: Model) => m.recoveries.at(-1) ?? null;
const outstanding = (m: Model, r: Real) =>
  m.temporary && !m.temporary.used && m.temporary.wrongTries < 5 && now(r) < m.temporary.expiresAt
    ? m.temporary
    : null;

/** The ordinary three-strikes rule on one wrong password; returns the expected startLogin answer type. */
function wrongPassword(m: Model, r: Real): string {
  if (now(r) < m.lockedUntil) return 'AccountLocked';
  m.failures += 1;
  if (m.failures < 3) return 'LoginRejected';
  m.failures = 0;
  m.lockedUntil = now(r) + 3 * HOUR;
  return 'AccountLocked';
}

class StartRecovery implements fc.AsyncCommand<Model, Real> {
  check = () => true;
  async run(m: Model, r: Real) {
    const step = (await r.t.gql(START_RECOVERY, { identifier: r.nid })).data.startPasswordRecovery;
    // Recovery never answers AccountLocked.
    expect(step).toMatchObject({ __typename: 'RecoveryStep', next: 'ENTER_CODE' });
    m.recoveries.push({
      id: step.recoveryId,
      code: await latestSecret(r.t, r.email),
      codeExpiresAt: now(r) + 10 * MIN,
      expiresAt: now(r) + 30 * MIN,
      codeWrongTries: 0,
      stage: 'CODE_SENT',
      wrong: 0,
    });
  }
  toString = () => 'StartRecovery';
}

class VerifyCode implements fc.AsyncCommand<Model, Real> {
  constructor(
    readonly pick: number,
    readonly right: boolean,
  ) {}
  check = (m: Readonly<Model>) => m.recoveries.length > 0;
  async run(m: Model, r: Real) {
    const rec = picked(m, this.pick);
    const code = this.right ? rec.code : rec.code === '000000' ? '000001' : '000000';
    const answer = (await r.t.gql(VERIFY_RECOVERY, { recoveryId: rec.id, code })).data.verifyRecoveryCode;
    const usable =
      rec === current(m) &&
      rec.stage === 'CODE_SENT' &&
      now(r) < rec.expiresAt &&
      now(r) < rec.codeExpiresAt &&
      rec.codeWrongTries < 5;
    if (!usable) return expect(answer.__typename).toBe('CodeRejected');
    if (this.right) {
      expect(answer).toMatchObject({ next: 'ANSWER_SECURITY_QUESTION', securityQuestion: 'Emri i gjyshes?' });
      rec.stage = 'CODE_VERIFIED';
    } else {
      rec.codeWrongTries += 1;
      expect(answer).toEqual({
        __typename: 'CodeRejected',
        reason: rec.codeWrongTries >= 5 ? 'TOO_MANY_ATTEMPTS' : 'INVALID',
        attemptsLeft: 5 - rec.codeWrongTries,
      });
    }
  }
  toString = () => `VerifyCode(${this.pick}, ${this.right ? 'right' : 'wrong'})`;
}

/** answerSecurityQuestion or confirmRecoveryEmail, right or wrong. */
class ProveIdentity implements fc.AsyncCommand<Model, Real> {
  constructor(
    readonly pick: number,
    readonly byEmail: boolean,
    readonly right: boolean,
  ) {}
  check = (m: Readonly<Model>) => m.recoveries.length > 0;
  async run(m: Model, r: Real) {
    const rec = picked(m, this.pick);
    const answer = this.byEmail
      ? (
          await r.t.gql(CONFIRM_EMAIL, {
            recoveryId: rec.id,
            email: this.right ? r.email.toUpperCase() : 'x@y.al',
          })
        ).data.confirmRecoveryEmail
      : (await r.t.gql(ANSWER, { recoveryId: rec.id, answer: this.right ? ' drita ' : 'Vera' })).data
          .answerSecurityQuestion;
    const rejected = this.byEmail ? 'EmailRejected' : 'AnswerRejected';
    if (
      rec !== current(m) ||
      rec.stage === 'DONE' ||
      rec.stage === 'ENDED' ||
      now(r) >= rec.expiresAt ||
      rec.stage === 'CODE_SENT'
    )
      return expect(answer.__typename).toBe('CodeRejected');
    if (rec.stage === 'FAILED') return expect(answer).toEqual({ __typename: rejected, attemptsLeft: 0 });
    if (!this.right) {
      rec.wrong += 1;
      if (rec.wrong >= 3) rec.stage = 'FAILED';
      return expect(answer).toEqual({ __typename: rejected, attemptsLeft: 3 - rec.wrong });
    }
    expect(answer).toMatchObject({ __typename: 'RecoveryStep', next: 'SIGN_IN_WITH_TEMPORARY_PASSWORD' });
    rec.stage = 'DONE';
    m.temporary = {
      password: await latestSecret(r.t, r.phone),
      expiresAt: now(r) + 24 * HOUR,
      wrongTries: 0,
      used: false,
      requiresQ: this.byEmail,
    };
  }
  toString = () =>
    `${this.byEmail ? 'ConfirmEmail' : 'Answer'}(${this.pick}, ${this.right ? 'right' : 'wrong'})`;
}

class WrongPasswords implements fc.AsyncCommand<Model, Real> {
  constructor(readonly count: number) {}
  check = () => true;
  async run(m: Model, r: Real) {
    for (let i = 0; i < this.count; i++) {
      const answer = (await r.t.gql(START_LOGIN, { identifier: r.nid, password: 'not the password' })).data
        .startLogin;
      const temp = outstanding(m, r);
      if (temp) temp.wrongTries += 1;
      expect(answer.__typename).toBe(wrongPassword(m, r));
    }
  }
  toString = () => `WrongPasswords(${this.count})`;
}

/** startLogin with the newest temporary password, then its code. */
class UseTemporary implements fc.AsyncCommand<Model, Real> {
  check = (m: Readonly<Model>) => m.temporary !== null;
  async run(m: Model, r: Real) {
    const temp = outstanding(m, r);
    const started = (await r.t.gql(START_LOGIN, { identifier: r.nid, password: m.temporary!.password })).data
      .startLogin;
    if (!temp) return expect(started.__typename).toBe(wrongPassword(m, r));
    // Accepted even during a lock, and it only ever leads to PasswordChangeRequired.
    expect(started.__typename).toBe('OtpSent');
    const code = await latestSecret(r.t, r.email);
    const done = (await r.t.gql(COMPLETE_LOGIN_ANY, { challengeId: started.challengeId, code })).data
      .completeLogin;
    expect(done).toMatchObject({
      __typename: 'PasswordChangeRequired',
      requiresSecurityQuestion: temp.requiresQ,
    });
    temp.used = true;
    m.grant = {
      token: done.changeToken,
      expiresAt: now(r) + 15 * MIN,
      used: false,
      requiresQ: temp.requiresQ,
    };
  }
  toString = () => 'UseTemporary';
}

class SetPassword implements fc.AsyncCommand<Model, Real> {
  constructor(readonly withQuestion: boolean) {}
  check = (m: Readonly<Model>) => m.grant !== null;
  async run(m: Model, r: Real) {
    const g = m.grant!;
    const answer = (
      await r.t.gql(SET_NEW_PASSWORD, {
        changeToken: g.token,
        newPassword: `ana-e-malit-${m.passwordsSet}-x`,
        ...(this.withQuestion ? { securityQuestion: 'Emri i gjyshes?', securityAnswer: 'Drita' } : {}),
      })
    ).data.setNewPassword;
    // The token is checked before the password is judged.
    if (g.used) return expect(answer).toMatchObject({ __typename: 'CodeRejected', reason: 'ALREADY_USED' });
    if (now(r) >= g.expiresAt)
      return expect(answer).toMatchObject({ __typename: 'CodeRejected', reason: 'EXPIRED' });
    if (g.requiresQ && !this.withQuestion)
      return expect(answer).toMatchObject({ __typename: 'PasswordRefused', codes: ['QUESTION_REQUIRED'] });
    expect(answer.__typename).toBe('PasswordUpdated');
    g.used = true;
    // A password change ends a recovery still running: its code and its question stop working.
    for (const rec of m.recoveries)
      if (rec.stage === 'CODE_SENT' || rec.stage === 'CODE_VERIFIED') rec.stage = 'ENDED';
    m.passwordsSet += 1;
    m.temporary = null;
    m.failures = 0;
    m.lockedUntil = 0;
  }
  toString = () => `SetPassword(${this.withQuestion ? 'with question' : 'without'})`;
}

class HelpdeskRegeneration implements fc.AsyncCommand<Model, Real> {
  check = () => true;
  async run(m: Model, r: Real) {
    const staff = await signIn(r.t, r.helpdesk.nid, PASSWORD, r.helpdesk.email);
    const done = (
      await r.t.gql(REGENERATE, { identifier: r.nid, reason: 'checked in person' }, { token: staff.token })
    ).data.regeneratePassword;
    expect(done.__typename).toBe('HelpdeskActionDone');
    m.temporary = {
      password: await latestSecret(r.t, r.phone),
      expiresAt: now(r) + 24 * HOUR,
      wrongTries: 0,
      used: false,
      requiresQ: false,
    };
  }
  toString = () => 'HelpdeskRegeneration';
}

class AdvanceClock implements fc.AsyncCommand<Model, Real> {
  constructor(readonly ms: number) {}
  check = () => true;
  async run(_m: Model, r: Real) {
    r.t.clock.advance(this.ms);
  }
  toString = () => `AdvanceClock(${this.ms / MIN} min)`;
}

/** Mostly the newest recovery (-1), sometimes an older one. */
const pick = fc.oneof({ arbitrary: fc.constant(-1), weight: 3 }, { arbitrary: fc.nat(4), weight: 1 });
/** Mostly right, so that runs get deep into the flow. */
const mostlyRight = fc.nat(3).map((n) => n > 0);
const picked = (m: Model, index: number) =>
  index < 0 ? m.recoveries.at(-1)! : m.recoveries[index % m.recoveries.length]!;

const commands = [
  fc.constant(new StartRecovery()),
  fc.tuple(pick, mostlyRight).map(([p, right]) => new VerifyCode(p, right)),
  fc.tuple(pick, fc.boolean(), mostlyRight).map(([p, email, right]) => new ProveIdentity(p, email, right)),
  fc.integer({ min: 1, max: 5 }).map((n) => new WrongPasswords(n)),
  fc.constant(new UseTemporary()),
  fc.boolean().map((q) => new SetPassword(q)),
  fc.constant(new HelpdeskRegeneration()),
  fc.constantFrom(MIN, 11 * MIN, 31 * MIN, 3 * HOUR, 25 * HOUR).map((ms) => new AdvanceClock(ms)),
];

/** Since the previous password was set: a code verified and then an answer or e-mail, or the helpdesk. */
function everyPasswordSetWasEarned(events: Array<{ type: string; data: Record<string, unknown> }>) {
  const verified = new Set<unknown>();
  let earned = false;
  for (const e of events) {
    if (e.type === 'RecoveryCodeVerified') verified.add(e.data.recoveryId);
    if (
      (e.type === 'SecurityAnswerAccepted' || e.type === 'RecoveryEmailConfirmed') &&
      verified.has(e.data.recoveryId)
    )
      earned = true;
    if (e.type === 'TemporaryPasswordIssued' && e.data.via === 'HELPDESK') earned = true;
    if (e.type === 'TemporaryPasswordIssued') expect(earned).toBe(true);
    if (e.type === 'PasswordChanged') {
      expect(earned).toBe(true);
      earned = false;
    }
  }
}

let t: TestApp;
let helpdesk: { nid: string; email: string };
beforeAll(async () => {
  t = await startTestApp({
    LIMIT_SIGNIN_PER_IP_PER_MINUTE: '1000000',
    LIMIT_CODES_PER_ACCOUNT_PER_HOUR: '1000000',
    LIMIT_RECOVERY_PER_IP_PER_ACCOUNT_PER_HOUR: '1000000',
    LIMIT_RECOVERY_PER_ACCOUNT_PER_HOUR: '1000000',
  });
  helpdesk = await registeredPerson(t);
  await grant(t, helpdesk.nid, 'HELPDESK');
});
afterAll(async () => {
  await t?.close();
});

it('recovery follows the model, and no password is set without proof or the helpdesk', async () => {
  await fc.assert(
    fc.asyncProperty(fc.commands(commands, { maxCommands: 30, size: 'large' }), async (cmds) => {
      const person = await registeredPerson(t);
      const model: Model = {
        recoveries: [],
        temporary: null,
        grant: null,
        failures: 0,
        lockedUntil: 0,
        passwordsSet: 0,
      };
      const real: Real = { t, nid: person.nid, email: person.email, phone: person.phone, helpdesk };
      await fc.asyncModelRun(() => ({ model, real }), cmds);
      const stream = accountStream(accountIdFor(t.services.keys.streamNames, person.nid));
      const events = await t.services.store.readStream(stream);
      everyPasswordSetWasEarned(events);
      expect(events.filter((e) => e.type === 'PasswordChanged')).toHaveLength(model.passwordsSet);
      // requiresSecurityQuestion exactly after the e-mail branch.
      for (const issued of events.filter((e) => e.type === 'TemporaryPasswordIssued'))
        expect(issued.data.requiresSecurityQuestion).toBe(issued.data.via === 'EMAIL');
    }),
    { numRuns: 25 },
  );
  // 25 runs of argon2-backed flows take about 15 s alone on two cores; room for a busy machine.
}, 60_000);
