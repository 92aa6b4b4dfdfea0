import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accountIdFor } from '../../src/app/account/account-id.js';
import { accountStream } from '../../src/domain/shared/streams.js';
import { readLockoutStatus } from '../../src/projections/lockout.js';
import { ME, PASSWORD, registeredPerson, START_LOGIN, signIn } from '../account/flows.js';
import { startTestApp, type TestApp } from '../support/harness.js';
import {
  ACCOUNT_STATUS,
  COMPLETE_CONTACT,
  COMPLETE_LOGIN_ANY,
  grant,
  latestMessage,
  latestSecret,
  MY_DATA_ACCESS,
  REGENERATE,
  SET_NEW_PASSWORD,
  START_CONTACT,
  UNLOCK,
} from './flows.js';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({ LIMIT_SIGNIN_PER_IP_PER_MINUTE: '100000' });
});
afterAll(async () => {
  await t?.close();
});

const HOUR = 3600_000;
const streamOf = (nid: string) => accountStream(accountIdFor(t.services.keys.streamNames, nid));

async function staff(role: 'HELPDESK' | 'AUDITOR') {
  const person = await registeredPerson(t);
  await grant(t, person.nid, role);
  const session = await signIn(t, person.nid, PASSWORD, person.email);
  return { ...person, token: session.token as string };
}

async function wrongPasswords(nid: string, n: number) {
  for (let i = 0; i < n; i++) await t.gql(START_LOGIN, { identifier: nid, password: 'wrong password' });
}

describe('contact change', () => {
  it('sends a code to the new contacts only, changes them with it, and tells the old ones', async () => {
    const person = await registeredPerson(t);
    const phone = '+355697770001';
    const email = `new-${person.nid.toLowerCase()}@example.al`;
    const refused = (await t.gql(START_CONTACT, { phone: '0691234' }, { token: person.token })).data
      .startContactChange;
    expect(refused).toEqual({ __typename: 'InputRefused', field: 'phone', code: 'INVALID' });
    const oldMessages = t.services.outbox.list(person.email).length;
    const started = (await t.gql(START_CONTACT, { phone, email }, { token: person.token })).data
      .startContactChange;
    expect(started).toMatchObject({
      __typename: 'OtpSent',
      channels: [
        { channel: 'SMS', to: '+*** *** **01' },
        { channel: 'EMAIL', to: 'n***@***' },
      ],
    });
    const code = await latestSecret(t, email);
    expect(await latestSecret(t, phone)).toBe(code);
    // The old contacts hear of the change as it starts, without the code.
    expect(t.services.outbox.list(person.email)).toHaveLength(oldMessages + 1);
    expect((await latestMessage(t, person.email))?.body).not.toMatch(/\d{6}/);

    const wrong = (
      await t.gql(
        COMPLETE_CONTACT,
        { challengeId: started.challengeId, code: code === '000000' ? '111111' : '000000' },
        { token: person.token },
      )
    ).data.completeContactChange;
    expect(wrong).toEqual({ __typename: 'CodeRejected', reason: 'INVALID', attemptsLeft: 4 });
    const done = (
      await t.gql(COMPLETE_CONTACT, { challengeId: started.challengeId, code }, { token: person.token })
    ).data.completeContactChange;
    expect(done).toEqual({ __typename: 'Account', email, phone });
    expect((await t.gql(ME, {}, { token: person.token })).data.me).toMatchObject({ email, phone });
    expect((await latestMessage(t, person.email))?.body).toMatch(/contact|kontakt|e-mail/i);
    expect((await latestMessage(t, person.phone))?.body).not.toMatch(/\d{6}/);
    // Sign-in codes now go to the new contacts.
    expect((await signIn(t, person.nid, PASSWORD, email)).__typename).toBe('SessionStarted');
  });

  it('needs a session', async () => {
    const answer = await t.gql(START_CONTACT, { phone: '+355697770002' });
    expect(answer.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });
});

describe('helpdesk', () => {
  it('refuses a citizen every helpdesk mutation and the status query', async () => {
    const citizen = await registeredPerson(t);
    const victim = await registeredPerson(t);
    for (const [query, variables] of [
      [REGENERATE, { identifier: victim.nid, reason: 'x' }],
      [UNLOCK, { identifier: victim.nid, reason: 'x' }],
      [ACCOUNT_STATUS, { identifier: victim.nid }],
    ] as const) {
      const answer = await t.gql(query, variables, { token: citizen.token });
      expect(answer.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    }
    expect(await t.services.store.readStream(streamOf(victim.nid))).not.toContainEqual(
      expect.objectContaining({ type: 'TemporaryPasswordIssued' }),
    );
  });

  it('unlocks with a reason, recorded with the staff member as actor; reads are in myDataAccess', async () => {
    const helpdesk = await staff('HELPDESK');
    const person = await registeredPerson(t);
    await wrongPasswords(person.nid, 3);
    const status = (
      await t.gql(
        ACCOUNT_STATUS,
        { identifier: person.nid, purpose: 'Phone call 118' },
        { token: helpdesk.token },
      )
    ).data.accountStatus;
    expect(status).toMatchObject({ identifier: person.nid, locked: true, failedPasswordAttempts: 3 });
    // The helpdesk's lockout read model shows the same lock...
    const lockout = () => readLockoutStatus(t.services.readDb, streamOf(person.nid), t.clock.now());
    expect(lockout()).toMatchObject({ locked: true, failedPasswordAttempts: 3 });
    const blank = (await t.gql(UNLOCK, { identifier: person.nid, reason: '  ' }, { token: helpdesk.token }))
      .data.unlockAccount;
    expect(blank).toMatchObject({ __typename: 'InputRefused', field: 'reason', code: 'REQUIRED' });
    const unlocked = (
      await t.gql(
        UNLOCK,
        { identifier: person.nid, reason: 'Identity checked by phone' },
        { token: helpdesk.token },
      )
    ).data.unlockAccount;
    expect(unlocked).toMatchObject({
      __typename: 'HelpdeskActionDone',
      account: { locked: false, lockedUntil: null, failedPasswordAttempts: 0 },
    });
    // ...and, once the mutation answers (read your writes), that it ended, long before its own end.
    expect(lockout()).toEqual({
      locked: false,
      lockedUntil: null,
      failedPasswordAttempts: 0,
      lastSignInAt: expect.any(String),
    });
    const again = (
      await t.gql(
        UNLOCK,
        { identifier: person.nid, reason: 'again, checked by phone' },
        { token: helpdesk.token },
      )
    ).data.unlockAccount;
    expect(again).toMatchObject({ __typename: 'InputRefused', code: 'NOT_LOCKED' });
    const events = await t.services.store.readStream(streamOf(person.nid));
    const unlock = events.find((e) => e.type === 'AccountUnlocked');
    expect(unlock?.data).toMatchObject({ reason: 'Identity checked by phone' });
    expect(unlock?.metadata.actor).toMatchObject({
      kind: 'STAFF',
      role: 'HELPDESK',
      accountId: accountIdFor(t.services.keys.streamNames, helpdesk.nid),
    });
    expect((await signIn(t, person.nid, PASSWORD, person.email)).__typename).toBe('SessionStarted');

    const access = (await t.gql(MY_DATA_ACCESS, {}, { token: person.token })).data.myDataAccess.edges;
    expect(access.map((e: { node: unknown }) => e.node)).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          role: 'HELPDESK',
          purpose: 'Phone call 118',
          what: 'Account status',
          read: { kind: 'ACCOUNT_STATUS', asOf: null, occasion: null, action: null },
        }),
        expect.objectContaining({
          role: 'HELPDESK',
          purpose: 'Identity checked by phone',
          what: 'Account status after unlockAccount',
          read: {
            kind: 'ACCOUNT_STATUS',
            asOf: null,
            occasion: 'ANSWER_TO_ACTION',
            action: 'UNLOCK_ACCOUNT',
          },
        }),
      ]),
    );
  });

  it('regenerates a password to new contacts: old and new told, no security question needed after', async () => {
    const helpdesk = await staff('HELPDESK');
    const person = await registeredPerson(t);
    await wrongPasswords(person.nid, 3);
    const phone = '+355697770003';
    const email = `desk-${person.nid.toLowerCase()}@example.al`;
    const done = (
      await t.gql(
        REGENERATE,
        { identifier: person.nid, reason: 'Lost phone; ID card checked at the desk', phone, email },
        { token: helpdesk.token },
      )
    ).data.regeneratePassword;
    expect(done).toMatchObject({
      __typename: 'HelpdeskActionDone',
      account: { identifier: person.nid, locked: true },
    });
    const temporary = await latestSecret(t, phone);
    expect(await latestSecret(t, email)).toBe(temporary);
    for (const old of [person.phone, person.email]) {
      const told = await latestMessage(t, old);
      expect(told?.body).toMatch(/helpdesk|ndihm|contact|kontakt/i);
      expect(told?.body).not.toContain(temporary);
    }
    // Accepted during the lock; leads only to PasswordChangeRequired, without a question.
    const started = (await t.gql(START_LOGIN, { identifier: person.nid, password: temporary })).data
      .startLogin;
    expect(started.__typename).toBe('OtpSent');
    const required = (
      await t.gql(COMPLETE_LOGIN_ANY, {
        challengeId: started.challengeId,
        code: await latestSecret(t, email),
      })
    ).data.completeLogin;
    expect(required).toMatchObject({ __typename: 'PasswordChangeRequired', requiresSecurityQuestion: false });
    const updated = (
      await t.gql(SET_NEW_PASSWORD, { changeToken: required.changeToken, newPassword: 'ura-e-tabakeve-1780' })
    ).data.setNewPassword;
    expect(updated).toMatchObject({ __typename: 'PasswordUpdated', account: { email, phone } });
    const regenerated = (await t.services.store.readStream(streamOf(person.nid))).find(
      (e) => e.type === 'TemporaryPasswordIssued',
    );
    expect(regenerated?.data).toMatchObject({
      via: 'HELPDESK',
      reason: 'Lost phone; ID card checked at the desk',
    });
    expect(regenerated?.metadata.actor).toMatchObject({ kind: 'STAFF', role: 'HELPDESK' });
  });

  it('refuses an identifier without an account', async () => {
    const helpdesk = await staff('HELPDESK');
    const answer = (
      await t.gql(
        REGENERATE,
        { identifier: 'J00199999Z', reason: 'caller asked by phone' },
        { token: helpdesk.token },
      )
    ).data.regeneratePassword;
    expect(answer).toMatchObject({ __typename: 'InputRefused', field: 'identifier', code: 'NOT_REGISTERED' });
  });
});

describe('accountStatus as of an instant', () => {
  it('answers across a lock and its expiry, from the stream, for auditors too', async () => {
    const auditor = await staff('AUDITOR');
    const person = await registeredPerson(t);
    const signedInAt = t.clock.now().toISOString();
    t.clock.advance(60_000);
    await wrongPasswords(person.nid, 2);
    const beforeLock = t.clock.now();
    t.clock.advance(60_000);
    await wrongPasswords(person.nid, 1);
    const lockedAt = t.clock.now();
    t.clock.advance(4 * HOUR);
    // Sessions end after 30 idle minutes: the auditor signs in again.
    auditor.token = (await signIn(t, auditor.nid, PASSWORD, auditor.email)).token;
    const at = async (instant: Date) =>
      (
        await t.gql(
          ACCOUNT_STATUS,
          { identifier: person.nid, asOf: instant.toISOString() },
          { token: auditor.token },
        )
      ).data.accountStatus;
    const lockEnd = new Date(lockedAt.getTime() + 3 * HOUR);
    expect(await at(beforeLock)).toEqual({
      identifier: person.nid,
      locked: false,
      lockedUntil: null,
      failedPasswordAttempts: 2,
      lastSignInAt: signedInAt,
      asOf: beforeLock.toISOString(),
    });
    expect(await at(lockedAt)).toMatchObject({
      locked: true,
      lockedUntil: lockEnd.toISOString(),
      failedPasswordAttempts: 3,
    });
    expect(await at(new Date(lockEnd.getTime() - 1))).toMatchObject({ locked: true });
    expect(await at(lockEnd)).toMatchObject({ locked: false, lockedUntil: null, failedPasswordAttempts: 0 });
    const now = (await t.gql(ACCOUNT_STATUS, { identifier: person.nid }, { token: auditor.token })).data
      .accountStatus;
    expect(now).toMatchObject({ locked: false, asOf: t.clock.now().toISOString() });
    // Before the account existed there was nothing to answer; the future is not answered.
    expect(await at(new Date(Date.parse(signedInAt) - HOUR))).toBeNull();
    const future = await t.gql(
      ACCOUNT_STATUS,
      { identifier: person.nid, asOf: new Date(t.clock.now().getTime() + HOUR).toISOString() },
      { token: auditor.token },
    );
    expect(future.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    const own = (await signIn(t, person.nid, PASSWORD, person.email)).token;
    const access = (await t.gql(MY_DATA_ACCESS, {}, { token: own })).data.myDataAccess.edges;
    expect(access.length).toBeGreaterThanOrEqual(6);
    // Newest first: the reading before the account existed was recorded too (it was asked for).
    expect(access.slice(0, 3).map((e: { node: { what: string } }) => e.node.what)).toEqual([
      `Account status as of ${new Date(Date.parse(signedInAt) - HOUR).toISOString()}`,
      'Account status',
      `Account status as of ${lockEnd.toISOString()}`,
    ]);
    expect(access[0].node).toMatchObject({ role: 'AUDITOR', purpose: 'Audit of the portal' });
    expect(access[0].node.read).toEqual({
      kind: 'ACCOUNT_STATUS',
      asOf: new Date(Date.parse(signedInAt) - HOUR).toISOString(),
      occasion: null,
      action: null,
    });
  });
});
