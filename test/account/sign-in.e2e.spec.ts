import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accountIdFor } from '../../src/app/account/account-id.js';
import { accountStream, attemptsStream } from '../../src/domain/shared/streams.js';
import { startTestApp, type TestApp } from '../support/harness.js';
import {
  addCitizen,
  COMPLETE_CHANGE,
  COMPLETE_LOGIN,
  CONFIRM,
  GRANT,
  LOGOUT,
  latestCode,
  ME,
  PASSWORD,
  REGISTER_BUSINESS,
  REGISTER_CITIZEN,
  RESEND,
  REVOKE,
  registeredPerson,
  START_CHANGE,
  START_LOGIN,
  signIn,
} from './flows.js';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({ ADMIN_IDENTIFIERS: 'K20304003T' });
});
afterAll(async () => {
  await t?.close();
});

const HOUR = 3600_000;
const streamOf = (identifier: string) => accountStream(accountIdFor(t.services.keys.streamNames, identifier));
const typesIn = async (stream: string) => (await t.services.store.readStream(stream)).map((e) => e.type);

describe('registration', () => {
  it('sends the same code to phone and e-mail, masked in the answer, and confirms into a session', async () => {
    const person = await addCitizen(t);
    const answer = await t.gql(REGISTER_CITIZEN, {
      input: {
        ...person,
        password: PASSWORD,
        securityQuestion: 'Qyteti i lindjes?',
        securityAnswer: 'Berat',
      },
    });
    const sent = answer.data.registerCitizen;
    expect(sent.__typename).toBe('OtpSent');
    expect(sent.channels).toEqual([
      { channel: 'SMS', to: expect.stringMatching(/^\+\*\*\* \*\*\* \*\*\d\d$/) },
      { channel: 'EMAIL', to: 'j***@***' },
    ]);
    const code = latestCode(t, person.email);
    expect(latestCode(t, person.phone)).toBe(code);
    const confirmed = (await t.gql(CONFIRM, { challengeId: sent.challengeId, code })).data
      .confirmRegistration;
    expect(confirmed.__typename).toBe('SessionStarted');
    expect(confirmed.account).toMatchObject({
      kind: 'CITIZEN',
      identifier: person.nid,
      displayName: `Test Person ${person.nid}`,
      roles: ['CITIZEN'],
      email: person.email,
      phone: person.phone,
    });
    // The code is accepted once.
    const again = (await t.gql(CONFIRM, { challengeId: sent.challengeId, code })).data.confirmRegistration;
    expect(again).toEqual({ __typename: 'CodeRejected', reason: 'ALREADY_USED', attemptsLeft: 0 });
  });

  it('refuses what the registry does not confirm, in the request’s language', async () => {
    const person = await addCitizen(t);
    const input = { ...person, password: PASSWORD, securityQuestion: 'Q?', securityAnswer: 'A' };
    const wrongCard = await t.gql(
      REGISTER_CITIZEN,
      { input: { ...input, idCardNumber: 'X0000000' } },
      { headers: { 'accept-language': 'en' } },
    );
    expect(wrongCard.data.registerCitizen).toMatchObject({ field: 'idCardNumber', code: 'NOT_IN_REGISTRY' });
    expect(wrongCard.data.registerCitizen.message).toMatch(/does not match/);
    const unknown = await t.gql(REGISTER_CITIZEN, { input: { ...input, nid: 'J00101998V' } });
    expect(unknown.data.registerCitizen).toMatchObject({ __typename: 'InputRefused' });
    const badPhone = await t.gql(REGISTER_CITIZEN, { input: { ...input, phone: '069123' } });
    expect(badPhone.data.registerCitizen).toMatchObject({ field: 'phone', code: 'INVALID' });
  });

  it('refuses weak passwords with the policy’s codes', async () => {
    const person = await addCitizen(t);
    const input = { ...person, securityQuestion: 'Q?', securityAnswer: 'A' };
    const refusal = async (password: string) =>
      (await t.gql(REGISTER_CITIZEN, { input: { ...input, password } })).data.registerCitizen;
    expect(await refusal('short')).toMatchObject({ field: 'password', code: 'TOO_SHORT' });
    expect(await refusal('shqiperia123')).toMatchObject({ field: 'password', code: 'COMMON' });
    expect(await refusal(`x${person.nid.toLowerCase()}x`)).toMatchObject({
      field: 'password',
      code: 'CONTAINS_IDENTIFIER',
    });
    expect(await refusal('x'.repeat(300))).toMatchObject({ field: 'password', code: 'TOO_LONG' });
    // A long passphrase with no composition rules is fine.
    expect(
      (await refusal(`${'a'.repeat(4)} ${'long passphrase of 128 characters '.repeat(4)}`)).__typename,
    ).toBe('OtpSent');
  });

  it('an unconfirmed registration blocks only while its code is valid', async () => {
    const person = await addCitizen(t);
    const input = { ...person, password: PASSWORD, securityQuestion: 'Q?', securityAnswer: 'A' };
    expect((await t.gql(REGISTER_CITIZEN, { input })).data.registerCitizen.__typename).toBe('OtpSent');
    expect((await t.gql(REGISTER_CITIZEN, { input })).data.registerCitizen).toMatchObject({
      code: 'ALREADY_REGISTERED',
    });
    t.clock.advance(10 * 60_000);
    const second = (await t.gql(REGISTER_CITIZEN, { input })).data.registerCitizen;
    expect(second.__typename).toBe('OtpSent');
    const confirmed = await t.gql(CONFIRM, {
      challengeId: second.challengeId,
      code: latestCode(t, person.email),
    });
    expect(confirmed.data.confirmRegistration.__typename).toBe('SessionStarted');
    expect((await t.gql(REGISTER_CITIZEN, { input })).data.registerCitizen).toMatchObject({
      code: 'ALREADY_REGISTERED',
    });
  });

  it('registers a business through its administrator, signed in to their own citizen account', async () => {
    // The demo business L12345678A is administered by the demo citizen J00101999W.
    const administrator = await registerDemoAdministrator();
    const input = {
      nipt: 'L12345678A',
      administratorNid: 'J00101999W',
      email: 'furra@example.al',
      phone: '+355691111111',
      password: PASSWORD,
      securityQuestion: 'Q?',
      securityAnswer: 'A',
    };
    const wrongAdmin = await t.gql(
      REGISTER_BUSINESS,
      { input: { ...input, administratorNid: 'J05515001C' } },
      { token: administrator },
    );
    expect(wrongAdmin.data.registerBusiness).toMatchObject({
      field: 'administratorNid',
      code: 'ADMINISTRATOR_SIGN_IN_REQUIRED',
    });
    const sent = (await t.gql(REGISTER_BUSINESS, { input }, { token: administrator })).data.registerBusiness;
    const confirmed = (
      await t.gql(CONFIRM, { challengeId: sent.challengeId, code: latestCode(t, input.email) })
    ).data.confirmRegistration;
    expect(confirmed.account).toMatchObject({
      kind: 'BUSINESS',
      identifier: 'L12345678A',
      displayName: 'Furra Tirana shpk',
      roles: ['BUSINESS'],
    });
  });
});

/** Registers the demo citizen J00101999W (ID card 012345678) and returns their session token. */
async function registerDemoAdministrator(): Promise<string> {
  const input = {
    nid: 'J00101999W',
    idCardNumber: '012345678',
    email: 'arben@example.al',
    phone: '+355691111110',
    password: PASSWORD,
    securityQuestion: 'Q?',
    securityAnswer: 'A',
  };
  const sent = (await t.gql(REGISTER_CITIZEN, { input })).data.registerCitizen;
  const confirmed = (
    await t.gql(CONFIRM, { challengeId: sent.challengeId, code: latestCode(t, input.email) })
  ).data.confirmRegistration;
  if (confirmed.__typename !== 'SessionStarted') throw new Error(JSON.stringify(confirmed));
  return confirmed.token;
}

describe('sign-in', () => {
  it('password then code; me; logout ends the session and clears the cookie', async () => {
    const person = await registeredPerson(t);
    const started = (
      await t.gql(START_LOGIN, { identifier: ` ${person.nid.toLowerCase()} `, password: person.password })
    ).data.startLogin;
    expect(started.__typename).toBe('OtpSent');
    const response = await t.app.inject({
      method: 'POST',
      url: '/graphql',
      headers: { 'content-type': 'application/json' },
      payload: {
        query: COMPLETE_LOGIN,
        variables: { challengeId: started.challengeId, code: latestCode(t, person.email) },
      },
    });
    const session = response.json().data.completeLogin;
    expect(session.__typename).toBe('SessionStarted');
    expect(session.account.lastSignInAt).toBe(t.clock.now().toISOString());
    const cookie = String(response.headers['set-cookie']);
    expect(cookie).toMatch(/portal_session=/);
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Strict/);
    expect(cookie).toMatch(/Secure/);
    expect((await t.gql(ME, {}, { token: session.token })).data.me.identifier).toBe(person.nid);
    const out = await t.app.inject({
      method: 'POST',
      url: '/graphql',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${session.token}` },
      payload: { query: LOGOUT },
    });
    expect(out.json().data.logout).toBe(true);
    expect(String(out.headers['set-cookie'])).toMatch(/portal_session=;/);
    expect((await t.gql(ME, {}, { token: session.token })).data.me).toBeNull();
    expect(await typesIn(streamOf(person.nid))).toContain('SessionEnded');
  });

  it('the cookie authenticates only JSON requests (CSRF)', async () => {
    const person = await registeredPerson(t);
    const cookie = `portal_session=${person.token}`;
    const json = await t.app.inject({
      method: 'POST',
      url: '/graphql',
      headers: { 'content-type': 'application/json', cookie },
      payload: { query: ME },
    });
    expect(json.json().data.me.identifier).toBe(person.nid);
    const form = await t.app.inject({
      method: 'POST',
      url: '/graphql',
      headers: { 'content-type': 'text/plain', cookie },
      payload: JSON.stringify({ query: ME }),
    });
    expect(form.json().data?.me ?? null).toBeNull();
  });

  it('answers an unknown identifier exactly like a wrong password, and locks it the same way', async () => {
    const person = await registeredPerson(t);
    const wrong = (await t.gql(START_LOGIN, { identifier: person.nid, password: 'not the password' })).data
      .startLogin;
    const unknown = (await t.gql(START_LOGIN, { identifier: 'J00101997T', password: 'not the password' }))
      .data.startLogin;
    expect(unknown).toEqual(wrong);
    expect(wrong.__typename).toBe('LoginRejected');
    await t.gql(START_LOGIN, { identifier: 'J00101997T', password: 'x' });
    const third = (await t.gql(START_LOGIN, { identifier: 'J00101997T', password: 'x' })).data.startLogin;
    expect(third.__typename).toBe('AccountLocked');
    const id = accountIdFor(t.services.keys.streamNames, 'J00101997T');
    expect(await typesIn(attemptsStream(id))).toEqual([
      'PasswordRejected',
      'PasswordRejected',
      'PasswordRejected',
      'AccountLocked',
    ]);
    expect(await typesIn(accountStream(id))).toEqual([]);
  });

  it('three wrong passwords lock for exactly three hours; no code while locked', async () => {
    const person = await registeredPerson(t);
    const attempt = async (password: string) =>
      (await t.gql(START_LOGIN, { identifier: person.nid, password })).data.startLogin;
    expect((await attempt('wrong-1')).__typename).toBe('LoginRejected');
    expect((await attempt('wrong-2')).__typename).toBe('LoginRejected');
    const thirdAt = t.clock.now().getTime();
    const third = await attempt('wrong-3');
    expect(third).toEqual({
      __typename: 'AccountLocked',
      lockedUntil: new Date(thirdAt + 3 * HOUR).toISOString(),
    });
    const outboxBefore = t.services.outbox.list(person.email).length;
    expect((await attempt(person.password)).__typename).toBe('AccountLocked');
    expect(t.services.outbox.list(person.email)).toHaveLength(outboxBefore);
    t.clock.advance(3 * HOUR - 1);
    expect((await attempt(person.password)).__typename).toBe('AccountLocked');
    t.clock.advance(1);
    expect((await attempt(person.password)).__typename).toBe('OtpSent');
    const types = await typesIn(streamOf(person.nid));
    expect(types.filter((type) => type === 'PasswordRejected')).toHaveLength(3);
  });

  it('rejects wrong, late and over-tried codes; resend replaces the code', async () => {
    const person = await registeredPerson(t);
    const start = async () =>
      (await t.gql(START_LOGIN, { identifier: person.nid, password: person.password })).data.startLogin;
    const complete = async (challengeId: string, code: string) =>
      (await t.gql(COMPLETE_LOGIN, { challengeId, code })).data.completeLogin;
    const first = await start();
    const firstCode = latestCode(t, person.email);
    const wrongCode = firstCode === '000000' ? '000001' : '000000';
    for (let left = 4; left >= 1; left--)
      expect(await complete(first.challengeId, wrongCode)).toMatchObject({
        reason: 'INVALID',
        attemptsLeft: left,
      });
    expect(await complete(first.challengeId, wrongCode)).toMatchObject({
      reason: 'TOO_MANY_ATTEMPTS',
      attemptsLeft: 0,
    });
    expect(await complete(first.challengeId, firstCode)).toMatchObject({ reason: 'TOO_MANY_ATTEMPTS' });

    const second = await start();
    t.clock.advance(10 * 60_000);
    expect(await complete(second.challengeId, latestCode(t, person.email))).toMatchObject({
      reason: 'EXPIRED',
    });

    const third = await start();
    const oldCode = latestCode(t, person.phone);
    const resent = (await t.gql(RESEND, { challengeId: third.challengeId })).data.resendCode;
    expect(resent).toMatchObject({ __typename: 'OtpSent', challengeId: third.challengeId });
    const newCode = latestCode(t, person.phone);
    if (newCode !== oldCode)
      expect(await complete(third.challengeId, oldCode)).toMatchObject({ reason: 'INVALID' });
    const throttled = (await t.gql(RESEND, { challengeId: third.challengeId })).data.resendCode;
    expect(throttled.__typename).toBe('RateLimited');
    expect((await complete(third.challengeId, newCode)).__typename).toBe('SessionStarted');
    expect(await complete('not-a-challenge', '123456')).toMatchObject({ reason: 'INVALID' });
  });

  it('limits codes per account per hour', async () => {
    const local = await startTestApp({ LIMIT_CODES_PER_ACCOUNT_PER_HOUR: '3' });
    try {
      const person = await registeredPerson(local);
      const start = async () =>
        (await local.gql(START_LOGIN, { identifier: person.nid, password: person.password })).data.startLogin;
      // The registration code drew on the budget of unproven contacts: sign-in has all three.
      expect((await start()).__typename).toBe('OtpSent');
      expect((await start()).__typename).toBe('OtpSent');
      expect((await start()).__typename).toBe('OtpSent');
      const limited = await start();
      expect(limited.__typename).toBe('RateLimited');
      expect(limited.retryAfterSeconds).toBeGreaterThan(0);
    } finally {
      await local.close();
    }
  });

  it('limits sign-in starts per IP per minute', async () => {
    const local = await startTestApp({ LIMIT_SIGNIN_PER_IP_PER_MINUTE: '2' });
    try {
      const start = async () =>
        (await local.gql(START_LOGIN, { identifier: 'J00101999W', password: 'whatever-it-is' })).data
          .startLogin;
      await start();
      await start();
      expect((await start()).__typename).toBe('RateLimited');
      local.clock.advance(60_000);
      expect((await start()).__typename).not.toBe('RateLimited');
    } finally {
      await local.close();
    }
  });
});

describe('password change', () => {
  it('needs the current password and a code; ends every other session; the new password works', async () => {
    const person = await registeredPerson(t);
    const other = await signIn(t, person.nid, person.password, person.email);
    expect(other.__typename).toBe('SessionStarted');
    const started = (await t.gql(START_CHANGE, { currentPassword: person.password }, { token: person.token }))
      .data.startPasswordChange;
    expect(started.__typename).toBe('OtpSent');
    const code = latestCode(t, person.email);
    const refused = (
      await t.gql(
        COMPLETE_CHANGE,
        { challengeId: started.challengeId, code, newPassword: 'password123' },
        { token: person.token },
      )
    ).data.completePasswordChange;
    expect(refused).toMatchObject({ __typename: 'PasswordRefused', codes: ['COMMON'] });
    const newPassword = 'një fjalëkalim i ri i gjatë';
    const changed = (
      await t.gql(
        COMPLETE_CHANGE,
        { challengeId: started.challengeId, code, newPassword },
        { token: person.token },
      )
    ).data.completePasswordChange;
    expect(changed).toMatchObject({ __typename: 'PasswordUpdated', session: null });
    expect((await t.gql(ME, {}, { token: person.token })).data.me).not.toBeNull();
    expect((await t.gql(ME, {}, { token: other.token })).data.me).toBeNull();
    expect(
      (await t.gql(START_LOGIN, { identifier: person.nid, password: person.password })).data.startLogin
        .__typename,
    ).toBe('LoginRejected');
    expect((await signIn(t, person.nid, newPassword, person.email)).__typename).toBe('SessionStarted');
  });

  it('a lock that falls between the code and the change refuses it, judges no code, and records the attempt', async () => {
    const person = await registeredPerson(t);
    const started = (await t.gql(START_CHANGE, { currentPassword: person.password }, { token: person.token }))
      .data.startPasswordChange;
    expect(started.__typename).toBe('OtpSent');
    const code = latestCode(t, person.email);
    // Someone else guesses the password three times meanwhile.
    for (let i = 0; i < 3; i += 1)
      await t.gql(START_LOGIN, { identifier: person.nid, password: `wrong guess ${i}` });
    const refused = (
      await t.gql(
        COMPLETE_CHANGE,
        { challengeId: started.challengeId, code, newPassword: 'një fjalëkalim i ri i gjatë' },
        { token: person.token },
      )
    ).data.completePasswordChange;
    expect(refused).toMatchObject({ __typename: 'CodeRejected', reason: 'TOO_MANY_ATTEMPTS' });
    const events = await t.services.store.readStream(streamOf(person.nid));
    const last = events.at(-1)!;
    expect(last.type).toBe('SignInRefused');
    expect(last.data).toMatchObject({ step: 'COMPLETE_PASSWORD_CHANGE', reason: 'LOCKED' });
    expect(events.some((e) => e.type === 'PasswordChanged')).toBe(false);
  });

  it('is for signed-in people only', async () => {
    const answer = await t.gql(START_CHANGE, { currentPassword: 'whatever' });
    expect(answer.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });
});

describe('roles', () => {
  it('ADMIN_IDENTIFIERS hold ADMIN once registered; admins grant and revoke; others are forbidden', async () => {
    const admin = await registeredPerson(t).catch(() => null);
    expect(admin).not.toBeNull();
    // K20304003T is a demo person listed in ADMIN_IDENTIFIERS.
    const input = {
      nid: 'K20304003T',
      idCardNumber: '045678901',
      email: 'besnik@example.al',
      phone: '+355692222222',
      password: PASSWORD,
      securityQuestion: 'Q?',
      securityAnswer: 'A',
    };
    const sent = (await t.gql(REGISTER_CITIZEN, { input })).data.registerCitizen;
    const session = (
      await t.gql(CONFIRM, { challengeId: sent.challengeId, code: latestCode(t, input.email) })
    ).data.confirmRegistration;
    expect(session.account.roles).toEqual(['CITIZEN', 'ADMIN']);
    const staff = await registeredPerson(t);
    const granted = (
      await t.gql(
        GRANT,
        { identifier: staff.nid, role: 'CASEWORKER', institution: 'DPGJC', reason: 'new caseworker' },
        { token: session.token },
      )
    ).data.grantRole;
    expect(granted.account).toMatchObject({ roles: ['CITIZEN', 'CASEWORKER'], institution: 'DPGJC' });
    expect((await t.gql(ME, {}, { token: staff.token })).data.me.roles).toEqual(['CITIZEN', 'CASEWORKER']);
    // One institution at a time: granted again with another, the caseworker moves there.
    const moved = (
      await t.gql(
        GRANT,
        { identifier: staff.nid, role: 'CASEWORKER', institution: 'DPSHTRR', reason: 'moved' },
        { token: session.token },
      )
    ).data.grantRole;
    expect(moved.account).toMatchObject({ roles: ['CITIZEN', 'CASEWORKER'], institution: 'DPSHTRR' });
    expect((await t.gql(ME, {}, { token: staff.token })).data.me.institution).toBe('DPSHTRR');
    const forbidden = await t.gql(
      GRANT,
      { identifier: admin!.nid, role: 'ADMIN', reason: 'me too' },
      { token: staff.token },
    );
    expect(forbidden.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const noInstitution = (
      await t.gql(GRANT, { identifier: staff.nid, role: 'CASEWORKER', reason: 'x' }, { token: session.token })
    ).data.grantRole;
    expect(noInstitution).toMatchObject({ field: 'institution', code: 'REQUIRED' });
    const revoked = (
      await t.gql(
        REVOKE,
        { identifier: staff.nid, role: 'CASEWORKER', reason: 'left' },
        { token: session.token },
      )
    ).data.revokeRole;
    expect(revoked.account.roles).toEqual(['CITIZEN']);
    expect(
      (
        await t.gql(
          REVOKE,
          { identifier: staff.nid, role: 'CASEWORKER', reason: 'again' },
          { token: session.token },
        )
      ).data.revokeRole,
    ).toMatchObject({ code: 'NOT_HELD' });
  });

  it('/dev/roles grants as an event; /dev/registry adds people and businesses', async () => {
    const person = await registeredPerson(t);
    const response = await t.app.inject({
      method: 'POST',
      url: '/dev/roles',
      payload: { identifier: person.nid, role: 'HELPDESK' },
    });
    expect(response.statusCode).toBe(201);
    expect((await t.gql(ME, {}, { token: person.token })).data.me.roles).toEqual(['CITIZEN', 'HELPDESK']);
    expect(await typesIn(streamOf(person.nid))).toContain('RoleGranted');
    const business = await t.app.inject({
      method: 'POST',
      url: '/dev/registry/businesses',
      payload: { nipt: 'M11111111M', name: 'Test shpk', administratorNid: person.nid },
    });
    expect(business.statusCode).toBe(201);
    const bad = await t.app.inject({
      method: 'POST',
      url: '/dev/registry/citizens',
      payload: { nid: 'nope' },
    });
    expect(bad.statusCode).toBe(400);
  });
});

describe('events', () => {
  it('carry actor, ip and correlation id, and never a password, code or token in clear', async () => {
    const person = await registeredPerson(t);
    const session = await signIn(t, person.nid, person.password, person.email);
    await t.services.notifier.idle();
    const events = await t.services.store.readStream(streamOf(person.nid));
    const text = JSON.stringify(events);
    expect(text).not.toContain(person.password);
    expect(text).not.toContain(session.token);
    for (const message of t.services.outbox.list(person.email))
      expect(text).not.toContain(message.body.match(/\d{6}/)![0]);
    expect(events.map((e) => e.type)).toEqual(
      expect.arrayContaining([
        'AccountRegistered',
        'OtpIssued',
        'OtpDelivered',
        'RegistrationConfirmed',
        'PasswordAccepted',
        'SessionStarted',
      ]),
    );
    for (const event of events) {
      expect(event.metadata.correlationId).toEqual(expect.any(String));
      expect(event.metadata.actor).toEqual(expect.objectContaining({ kind: expect.any(String) }));
    }
    expect(events.find((e) => e.type === 'PasswordAccepted')!.metadata.ip).toBe('127.0.0.1');
  });
});
