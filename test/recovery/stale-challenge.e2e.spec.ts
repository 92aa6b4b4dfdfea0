import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COMPLETE_LOGIN, ME, registeredPerson, START_LOGIN, signIn } from '../account/flows.js';
import { startTestApp, type TestApp } from '../support/harness.js';
import {
  ANSWER,
  COMPLETE_LOGIN_ANY,
  latestSecret,
  SET_NEW_PASSWORD,
  START_RECOVERY,
  VERIFY_RECOVERY,
} from './flows.js';

/**
 * The security review's "stale sign-in challenge": a sign-in started with the old password could be
 * completed with its code after the password had changed; and a temporary password outlived the
 * owner's own sign-in with the real password.
 */
let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({ LIMIT_SIGNIN_PER_IP_PER_MINUTE: '100000' });
});
afterAll(async () => {
  await t?.close();
});

/** Recovery by the security question up to the temporary password; returns it. */
async function temporaryPassword(nid: string, email: string) {
  const r = (await t.gql(START_RECOVERY, { identifier: nid })).data.startPasswordRecovery;
  await t.gql(VERIFY_RECOVERY, { recoveryId: r.recoveryId, code: await latestSecret(t, email) });
  const answered = (await t.gql(ANSWER, { recoveryId: r.recoveryId, answer: 'drita' })).data
    .answerSecurityQuestion;
  expect(answered.next).toBe('SIGN_IN_WITH_TEMPORARY_PASSWORD');
  return latestSecret(t, email);
}

describe('a password change ends every open challenge', () => {
  it('a sign-in started with the old password cannot be completed after the change', async () => {
    const v = await registeredPerson(t);
    const a = (await t.gql(START_LOGIN, { identifier: v.nid, password: v.password })).data.startLogin;
    const stolenCode = await latestSecret(t, v.email);
    const temporary = await temporaryPassword(v.nid, v.email);
    const l = (await t.gql(START_LOGIN, { identifier: v.nid, password: temporary })).data.startLogin;
    const cl = (
      await t.gql(COMPLETE_LOGIN_ANY, { challengeId: l.challengeId, code: await latestSecret(t, v.email) })
    ).data.completeLogin;
    const sp = (
      await t.gql(SET_NEW_PASSWORD, { changeToken: cl.changeToken, newPassword: 'brand-new-secret-77' })
    ).data.setNewPassword;
    expect(sp.__typename).toBe('PasswordUpdated');
    t.clock.advance(3 * 60_000);
    const done = (await t.gql(COMPLETE_LOGIN, { challengeId: a.challengeId, code: stolenCode })).data
      .completeLogin;
    expect(done).toEqual({ __typename: 'CodeRejected', reason: 'EXPIRED', attemptsLeft: 0 });
  });

  it('a normal sign-in with the real password voids an outstanding temporary password', async () => {
    const v = await registeredPerson(t);
    const temporary = await temporaryPassword(v.nid, v.email);
    const session = await signIn(t, v.nid, v.password, v.email);
    expect(session.__typename).toBe('SessionStarted');
    expect((await t.gql(ME, {}, { token: session.token })).data.me.identifier).toBe(v.nid);
    const withTemporary = (await t.gql(START_LOGIN, { identifier: v.nid, password: temporary })).data
      .startLogin;
    expect(withTemporary.__typename).toBe('LoginRejected');
  });
});
