import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registeredPerson, START_LOGIN, signIn } from '../account/flows.js';
import { startTestApp, type TestApp } from '../support/harness.js';
import { grant, UNLOCK } from './flows.js';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({ LIMIT_SIGNIN_PER_IP_PER_MINUTE: '10000' });
});
afterAll(async () => {
  await t?.close();
});

const REASON = 'called the helpdesk, identity checked in person';
async function lock(identifier: string) {
  for (let i = 0; i < 3; i += 1) await t.gql(START_LOGIN, { identifier, password: `wrong-guess-${i}-xx` });
}
async function staff(role: string) {
  const person = await registeredPerson(t);
  await grant(t, person.nid, role);
  const session = await signIn(t, person.nid, person.password, person.email);
  return { ...person, token: session.token as string };
}

describe('unlockAccount and staff accounts', () => {
  it('HELPDESK: STAFF_ACCOUNT for an admin, a colleague and itself; a citizen is unlocked', async () => {
    const helpdesk = await staff('HELPDESK');
    const colleague = await staff('HELPDESK');
    const admin = await staff('ADMIN');
    const citizen = await registeredPerson(t);
    for (const target of [admin, colleague, helpdesk, citizen]) await lock(target.nid);
    for (const target of [admin, colleague, helpdesk]) {
      const answer = await t.gql(
        UNLOCK,
        { identifier: target.nid, reason: REASON },
        { token: helpdesk.token },
      );
      expect(answer.data.unlockAccount).toMatchObject({
        __typename: 'InputRefused',
        field: 'identifier',
        code: 'STAFF_ACCOUNT',
      });
    }
    const done = await t.gql(UNLOCK, { identifier: citizen.nid, reason: REASON }, { token: helpdesk.token });
    expect(done.data.unlockAccount).toMatchObject({
      __typename: 'HelpdeskActionDone',
      account: { locked: false },
    });
  });

  it('ADMIN: unlocks a staff account, never its own', async () => {
    const admin = await staff('ADMIN');
    const caseworker = await staff('HELPDESK');
    await lock(caseworker.nid);
    await lock(admin.nid);
    const done = await t.gql(UNLOCK, { identifier: caseworker.nid, reason: REASON }, { token: admin.token });
    expect(done.data.unlockAccount).toMatchObject({
      __typename: 'HelpdeskActionDone',
      account: { locked: false },
    });
    const own = await t.gql(UNLOCK, { identifier: admin.nid, reason: REASON }, { token: admin.token });
    expect(own.data.unlockAccount).toMatchObject({ field: 'identifier', code: 'STAFF_ACCOUNT' });
  });
});
