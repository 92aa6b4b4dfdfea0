import { afterAll, beforeAll, expect, it } from 'vitest';
import { accountIdFor } from '../../src/app/account/account-id.js';
import { accountStream } from '../../src/domain/shared/streams.js';
import { readLockoutStatus } from '../../src/projections/lockout.js';
import { startTestApp, type TestApp } from '../support/harness.js';
import { COMPLETE_LOGIN, registeredPerson, START_LOGIN, signIn } from './flows.js';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => {
  await t?.close();
});

it('with the password but not the phone: the tenth wrong code over two challenges locks the account for 3 hours', async () => {
  const person = await registeredPerson(t);
  const stream = accountStream(accountIdFor(t.services.keys.streamNames, person.nid));
  const answers: string[] = [];
  for (let challenge = 0; challenge < 2; challenge++) {
    const started = (await t.gql(START_LOGIN, { identifier: person.nid, password: person.password })).data
      .startLogin;
    expect(started.__typename).toBe('OtpSent');
    for (let guess = 0; guess < 5; guess++) {
      const code = String(100000 + challenge * 10 + guess);
      answers.push(
        (await t.gql(COMPLETE_LOGIN, { challengeId: started.challengeId, code })).data.completeLogin
          .__typename,
      );
    }
  }
  expect(answers).toEqual([...Array(9).fill('CodeRejected'), 'AccountLocked']);
  const events = await t.services.store.readStream(stream);
  expect(events.at(-1)).toMatchObject({
    type: 'AccountLocked',
    data: {
      reason: 'TOO_MANY_WRONG_CODES',
      lockedUntil: new Date(t.clock.now().getTime() + 3 * 3600_000).toISOString(),
    },
  });
  expect(events.at(-2)?.type).toBe('OtpRejected');
  // The right password gets no code during the lock; the helpdesk's read model shows the lock.
  expect(
    (await t.gql(START_LOGIN, { identifier: person.nid, password: person.password })).data.startLogin
      .__typename,
  ).toBe('AccountLocked');
  expect(readLockoutStatus(t.services.readDb, stream, t.clock.now())).toMatchObject({
    locked: true,
    failedPasswordAttempts: 0,
  });
  // Once it ends the person signs in; one more wrong code within the day would lock again.
  t.clock.advance(3 * 3600_000);
  expect((await signIn(t, person.nid, person.password, person.email)).__typename).toBe('SessionStarted');
  const again = (await t.gql(START_LOGIN, { identifier: person.nid, password: person.password })).data
    .startLogin;
  expect(
    (await t.gql(COMPLETE_LOGIN, { challengeId: again.challengeId, code: '000000' })).data.completeLogin
      .__typename,
  ).toBe('AccountLocked');
});
