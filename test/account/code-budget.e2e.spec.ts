import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { START_CONTACT, START_RECOVERY } from '../recovery/flows.js';
import { startTestApp, type TestApp } from '../support/harness.js';
import {
  addCitizen,
  COMPLETE_LOGIN,
  latestCode,
  PASSWORD,
  REGISTER_CITIZEN,
  RESEND,
  registeredPerson,
  START_LOGIN,
} from './flows.js';

/**
 * The code budgets cannot be spent by someone else: a phone's budget for unproven uses (registration,
 * contact change) is apart from the budgets of the account that has proven it, and recoveries (which
 * anyone with the identifier can start) have their own.
 */
const LIMIT = 3;
let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({ LIMIT_CODES_PER_ACCOUNT_PER_HOUR: String(LIMIT) });
});
afterAll(async () => {
  await t?.close();
});

const register = async (contacts: { phone: string; email: string }) => {
  const own = await addCitizen(t);
  return (
    await t.gql(REGISTER_CITIZEN, {
      input: { ...own, ...contacts, password: PASSWORD, securityQuestion: 'Q?', securityAnswer: 'A' },
    })
  ).data.registerCitizen;
};

describe('code budgets', () => {
  it('registering other numbers with a person’s phone no longer keeps their sign-in codes from going out', async () => {
    const victim = await registeredPerson(t);
    // 1. The attacker registers their own numbers with the victim's phone until that phone's budget for
    //    unproven uses is spent (the victim's own registration was its first use).
    const answers = [];
    for (let i = 0; i < LIMIT; i++)
      answers.push((await register({ phone: victim.phone, email: `attacker${i}@example.al` })).__typename);
    expect(answers).toEqual([...Array(LIMIT - 1).fill('OtpSent'), 'RateLimited']);
    // 2. The victim's correct password still gets a code, to the phone and the mailbox, and it works.
    const started = (await t.gql(START_LOGIN, { identifier: victim.nid, password: victim.password })).data
      .startLogin;
    expect(started.__typename).toBe('OtpSent');
    const done = (
      await t.gql(COMPLETE_LOGIN, { challengeId: started.challengeId, code: latestCode(t, victim.email) })
    ).data.completeLogin;
    expect(done.__typename).toBe('SessionStarted');
    // 3. The phone stays protected against pumping through unproven uses: a contact change to it is refused.
    const other = await registeredPerson(t);
    const change = (await t.gql(START_CONTACT, { phone: victim.phone }, { token: other.token })).data
      .startContactChange;
    expect(change.__typename).toBe('RateLimited');
  });

  it('recoveries started by anyone spend the recovery budget, not the sign-in one', async () => {
    const victim = await registeredPerson(t);
    const recoveries = [];
    for (let i = 0; i <= LIMIT; i++)
      recoveries.push(
        (await t.gql(START_RECOVERY, { identifier: victim.nid })).data.startPasswordRecovery.__typename,
      );
    expect(recoveries.at(-1)).toBe('RateLimited');
    const started = (await t.gql(START_LOGIN, { identifier: victim.nid, password: victim.password })).data
      .startLogin;
    expect(started.__typename).toBe('OtpSent');
  });

  it('the sign-in budget is the account’s own: it ends after the limit and resends draw on it', async () => {
    const person = await registeredPerson(t);
    const start = async () =>
      (await t.gql(START_LOGIN, { identifier: person.nid, password: person.password })).data.startLogin;
    const first = await start();
    expect(first.__typename).toBe('OtpSent');
    t.clock.advance(30_000);
    expect((await t.gql(RESEND, { challengeId: first.challengeId })).data.resendCode.__typename).toBe(
      'OtpSent',
    );
    expect((await start()).__typename).toBe('OtpSent');
    const limited = await start();
    expect(limited.__typename).toBe('RateLimited');
    expect(limited.retryAfterSeconds).toBeGreaterThan(0);
  });

  it('a contact change’s code is resent to the new contact only', async () => {
    const person = await registeredPerson(t);
    const newEmail = `new-${person.email}`;
    const started = (await t.gql(START_CONTACT, { email: newEmail }, { token: person.token })).data
      .startContactChange;
    expect(started.__typename).toBe('OtpSent');
    await t.services.notifier.idle();
    const oldBefore = t.services.outbox.list(person.email).length;
    t.clock.advance(30_000);
    const resent = (await t.gql(RESEND, { challengeId: started.challengeId })).data.resendCode;
    expect(resent.__typename).toBe('OtpSent');
    expect(t.services.outbox.list(newEmail)).toHaveLength(2);
    await t.services.notifier.idle();
    expect(t.services.outbox.list(person.email)).toHaveLength(oldBefore);
    // The registration code and the notice that a change started; no code of the change.
    expect(t.services.outbox.list(person.phone)).toHaveLength(2);
    expect(t.services.outbox.list(person.phone)[0]?.body).not.toMatch(/\d{6}/);
  });
});
