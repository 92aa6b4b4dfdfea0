import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PASSWORD, registeredPerson, START_LOGIN, signIn } from '../account/flows.js';
import { startTestApp, type TestApp } from '../support/harness.js';
import {
  ANSWER,
  COMPLETE_LOGIN_ANY,
  grant,
  latestSecret,
  REGENERATE,
  RESEND_RECOVERY,
  START_RECOVERY,
  VERIFY_RECOVERY,
} from './flows.js';

/**
 * The security review's "lock-out for good via the recovery budget": recovery starts, resends, the
 * temporary password after a proven answer and the helpdesk's regeneration shared one hourly budget per
 * account that anyone knowing the identifier could spend.
 */
let t: TestApp;
beforeAll(async () => {
  // One trusted proxy hop, so each test client can come from its own address.
  t = await startTestApp({ TRUST_PROXY: '1' });
});
afterAll(async () => {
  await t?.close();
});

const from = (ip: string) => ({ headers: { 'x-forwarded-for': ip } });
const startRecovery = async (nid: string, ip: string) =>
  (await t.gql(START_RECOVERY, { identifier: nid }, from(ip))).data.startPasswordRecovery;

describe('an anonymous caller cannot spend a person’s way back in', () => {
  it('one address gets 3 recovery starts per account an hour; the owner from elsewhere gets through', async () => {
    const victim = await registeredPerson(t);
    for (let i = 0; i < 3; i++)
      await t.gql(START_LOGIN, { identifier: victim.nid, password: `x-wrong-${i}` }, from('203.0.113.7'));
    const spent = [];
    for (let i = 0; i < 10; i++) spent.push(await startRecovery(victim.nid, '203.0.113.7'));
    expect(spent.filter((s) => s.__typename === 'RecoveryStep')).toHaveLength(3);
    expect(spent.at(-1).__typename).toBe('RateLimited');
    // Resends from that address draw on the same allowance.
    t.clock.advance(31_000);
    const resent = (await t.gql(RESEND_RECOVERY, { recoveryId: spent[2].recoveryId }, from('203.0.113.7')))
      .data.resendRecoveryCode;
    expect(resent.__typename).toBe('RateLimited');

    // The owner, from their own address: the whole recovery, temporary password included.
    const mine = await startRecovery(victim.nid, '198.51.100.20');
    expect(mine.__typename).toBe('RecoveryStep');
    const code = await latestSecret(t, victim.email);
    const verified = (
      await t.gql(VERIFY_RECOVERY, { recoveryId: mine.recoveryId, code }, from('198.51.100.20'))
    ).data.verifyRecoveryCode;
    expect(verified.next).toBe('ANSWER_SECURITY_QUESTION');
    const answered = (
      await t.gql(ANSWER, { recoveryId: mine.recoveryId, answer: 'drita' }, from('198.51.100.20'))
    ).data.answerSecurityQuestion;
    expect(answered).toMatchObject({ __typename: 'RecoveryStep', next: 'SIGN_IN_WITH_TEMPORARY_PASSWORD' });
  });

  it('the helpdesk and a proven answer still get a temporary password out when the starts are spent', async () => {
    const victim = await registeredPerson(t);
    const desk = await registeredPerson(t);
    await grant(t, desk.nid, 'HELPDESK');
    const deskToken = (await signIn(t, desk.nid, PASSWORD, desk.email)).token;
    // The owner reaches the question first; then many addresses spend every recovery start of the hour.
    const mine = await startRecovery(victim.nid, '198.51.100.30');
    const code = await latestSecret(t, victim.email);
    await t.gql(VERIFY_RECOVERY, { recoveryId: mine.recoveryId, code }, from('198.51.100.30'));
    let accepted = 0;
    for (let ip = 1; ip <= 12; ip++)
      for (let i = 0; i < 3; i++)
        if ((await startRecovery(victim.nid, `192.0.2.${ip}`)).__typename === 'RecoveryStep') accepted += 1;
    expect(accepted).toBeLessThanOrEqual(20);
    expect((await startRecovery(victim.nid, '198.51.100.99')).__typename).toBe('RateLimited');

    const regenerated = (
      await t.gql(
        REGENERATE,
        { identifier: victim.nid, reason: 'Person at the desk, ID checked' },
        {
          token: deskToken,
        },
      )
    ).data?.regeneratePassword;
    expect(regenerated?.__typename).toBe('HelpdeskActionDone');
    const temporary = await latestSecret(t, victim.email);
    const started = (await t.gql(START_LOGIN, { identifier: victim.nid, password: temporary })).data
      .startLogin;
    expect(started.__typename).toBe('OtpSent');
    const done = (
      await t.gql(COMPLETE_LOGIN_ANY, {
        challengeId: started.challengeId,
        code: await latestSecret(t, victim.email),
      })
    ).data.completeLogin;
    expect(done.__typename).toBe('PasswordChangeRequired');
  });

  it('a proven answer’s temporary password draws on its own budget, not the starts’', async () => {
    const victim = await registeredPerson(t);
    // 18 starts from six addresses: more than the old shared budget of 10, within the new cap of 20.
    for (let ip = 1; ip <= 6; ip++)
      for (let i = 0; i < 3; i++)
        expect((await startRecovery(victim.nid, `192.0.2.${100 + ip}`)).__typename).toBe('RecoveryStep');
    const mine = await startRecovery(victim.nid, '198.51.100.40');
    expect(mine.__typename).toBe('RecoveryStep');
    const code = await latestSecret(t, victim.email);
    const verified = (
      await t.gql(VERIFY_RECOVERY, { recoveryId: mine.recoveryId, code }, from('198.51.100.40'))
    ).data.verifyRecoveryCode;
    expect(verified.next).toBe('ANSWER_SECURITY_QUESTION');
    const answered = (
      await t.gql(ANSWER, { recoveryId: mine.recoveryId, answer: 'drita' }, from('198.51.100.40'))
    ).data.answerSecurityQuestion;
    expect(answered).toMatchObject({ __typename: 'RecoveryStep', next: 'SIGN_IN_WITH_TEMPORARY_PASSWORD' });
  });
});
