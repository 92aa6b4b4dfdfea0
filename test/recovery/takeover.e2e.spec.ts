import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ME, registeredPerson, signIn } from '../account/flows.js';
import { startTestApp, type TestApp } from '../support/harness.js';
import {
  COMPLETE_CONTACT,
  CONFIRM_EMAIL,
  latestSecret,
  START_CONTACT,
  START_RECOVERY,
  VERIFY_RECOVERY,
} from './flows.js';

/**
 * The security review's "stolen session -> permanent takeover": with only a session token, an attacker
 * changed the e-mail and then ran recovery's e-mail branch with the address they had just set.
 */
let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({ LIMIT_SIGNIN_PER_IP_PER_MINUTE: '100000' });
});
afterAll(async () => {
  await t?.close();
});

const MINUTE = 60_000;

describe('a stolen session cannot take the account over', () => {
  it('a session older than 15 minutes cannot change contacts; a fresh sign-in can', async () => {
    const person = await registeredPerson(t);
    // Kept alive (idle expiry is 30 minutes) but started 16 minutes ago.
    t.clock.advance(10 * MINUTE);
    expect((await t.gql(ME, {}, { token: person.token })).data.me.identifier).toBe(person.nid);
    t.clock.advance(6 * MINUTE);
    const refused = (await t.gql(START_CONTACT, { email: 'attacker@evil.example' }, { token: person.token }))
      .data.startContactChange;
    expect(refused).toEqual({
      __typename: 'InputRefused',
      field: 'session',
      code: 'REAUTHENTICATION_REQUIRED',
    });
    await t.services.notifier.idle();
    expect(t.services.outbox.list('attacker@evil.example')).toHaveLength(0);

    const fresh = await signIn(t, person.nid, person.password, person.email);
    const started = (await t.gql(START_CONTACT, { email: 'new-home@example.al' }, { token: fresh.token }))
      .data.startContactChange;
    expect(started.__typename).toBe('OtpSent');
  });

  it('tells the old contacts as soon as a change starts', async () => {
    const person = await registeredPerson(t);
    const before = t.services.outbox.list(person.email).length;
    const started = (await t.gql(START_CONTACT, { email: 'elsewhere@example.al' }, { token: person.token }))
      .data.startContactChange;
    expect(started.__typename).toBe('OtpSent');
    await t.services.notifier.idle();
    const toOld = t.services.outbox.list(person.email);
    expect(toOld.length).toBe(before + 1);
    expect(toOld[0]?.body).not.toMatch(/\b\d{6}\b/);
    expect(t.services.outbox.list(person.phone)[0]?.body).toMatch(/kontakt|contact/i);
  });

  it('refuses the e-mail branch of recovery for 7 days after the e-mail changed, as a wrong e-mail', async () => {
    const victim = await registeredPerson(t);
    const evil = `attacker-${victim.nid.toLowerCase()}@evil.example`;
    const s = (await t.gql(START_CONTACT, { email: evil }, { token: victim.token })).data.startContactChange;
    const changed = (
      await t.gql(
        COMPLETE_CONTACT,
        { challengeId: s.challengeId, code: await latestSecret(t, evil) },
        {
          token: victim.token,
        },
      )
    ).data.completeContactChange;
    expect(changed.email).toBe(evil);

    const toQuestion = async () => {
      const r = (await t.gql(START_RECOVERY, { identifier: victim.nid })).data.startPasswordRecovery;
      const code = await latestSecret(t, evil);
      const v = (await t.gql(VERIFY_RECOVERY, { recoveryId: r.recoveryId, code })).data.verifyRecoveryCode;
      expect(v.next).toBe('ANSWER_SECURITY_QUESTION');
      return r.recoveryId as string;
    };
    const recoveryId = await toQuestion();
    const refused = (await t.gql(CONFIRM_EMAIL, { recoveryId, email: evil })).data.confirmRecoveryEmail;
    expect(refused).toEqual({ __typename: 'EmailRejected', attemptsLeft: 2 });
    // Nothing went out: the newest message to the new address is still the recovery code's.
    await t.services.notifier.idle();
    expect(t.services.outbox.list(evil)[0]?.body).not.toMatch(/përkohshëm|temporary/i);

    // Seven days on, the (now settled) address works for the e-mail branch again.
    t.clock.advance(7 * 24 * 60 * MINUTE + MINUTE);
    const later = await toQuestion();
    const accepted = (await t.gql(CONFIRM_EMAIL, { recoveryId: later, email: evil })).data
      .confirmRecoveryEmail;
    expect(accepted).toMatchObject({ __typename: 'RecoveryStep', next: 'SIGN_IN_WITH_TEMPORARY_PASSWORD' });
  });
});
