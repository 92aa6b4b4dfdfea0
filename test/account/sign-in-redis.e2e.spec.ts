import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/harness.js';
import {
  COMPLETE_CHANGE,
  LOGOUT,
  latestCode,
  ME,
  registeredPerson,
  START_CHANGE,
  START_LOGIN,
  signIn,
} from './flows.js';
import { REDIS_TEST_URL, redisAnswers, uniquePrefix } from './redis-available.js';

const redisUp = await redisAnswers();

/** The sign-in flows again with sessions and rate limits in Redis (REDIS_URL), as several instances run. */
describe.runIf(redisUp)('sign-in with REDIS_URL', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({
      REDIS_URL: REDIS_TEST_URL,
      REDIS_KEY_PREFIX: uniquePrefix(),
      LIMIT_SIGNIN_PER_IP_PER_MINUTE: '40',
    });
  });
  afterAll(async () => {
    await t?.close();
  });

  it('sessions live in Redis: sign in, idle expiry on the server clock, logout, password change', async () => {
    const person = await registeredPerson(t);
    const second = await signIn(t, person.nid, person.password, person.email);
    expect((await t.gql(ME, {}, { token: second.token })).data.me.identifier).toBe(person.nid);
    t.clock.advance(30 * 60_000);
    expect((await t.gql(ME, {}, { token: second.token })).data.me).toBeNull();
    const third = await signIn(t, person.nid, person.password, person.email);
    const fourth = await signIn(t, person.nid, person.password, person.email);
    expect((await t.gql(LOGOUT, {}, { token: fourth.token })).data.logout).toBe(true);
    expect((await t.gql(ME, {}, { token: fourth.token })).data.me).toBeNull();
    const fifth = await signIn(t, person.nid, person.password, person.email);
    const started = (await t.gql(START_CHANGE, { currentPassword: person.password }, { token: third.token }))
      .data.startPasswordChange;
    const changed = await t.gql(
      COMPLETE_CHANGE,
      {
        challengeId: started.challengeId,
        code: latestCode(t, person.email),
        newPassword: 'redis e mban seancën tani',
      },
      { token: third.token },
    );
    expect(changed.data.completePasswordChange.__typename).toBe('PasswordUpdated');
    expect((await t.gql(ME, {}, { token: third.token })).data.me).not.toBeNull();
    expect((await t.gql(ME, {}, { token: fifth.token })).data.me).toBeNull();
  });

  it('the per-IP limit counts in Redis', async () => {
    const answers = [];
    for (let i = 0; i < 41; i++)
      answers.push(
        (
          await t.gql(
            START_LOGIN,
            { identifier: 'J00101997T', password: 'x' },
            { headers: { 'x-forwarded-for': '203.0.113.9' } },
          )
        ).data.startLogin.__typename,
      );
    expect(answers.at(-1)).toBe('RateLimited');
  });
});
