import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accountIdFor } from '../../src/app/account/account-id.js';
import { accountStream } from '../../src/domain/shared/streams.js';
import { PASSWORD, registeredPerson, START_LOGIN, signIn } from '../account/flows.js';
import { startTestApp, type TestApp } from '../support/harness.js';
import { grant, MY_DATA_ACCESS, REGENERATE, UNLOCK } from './flows.js';

/**
 * The security review's "helpdesk takes over ADMIN": regeneratePassword had no check on its target, so
 * a helpdesk member could send an admin's temporary password to their own phone and mailbox.
 */
const ADMIN_NID = 'J00101001C';
let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({ LIMIT_SIGNIN_PER_IP_PER_MINUTE: '100000', ADMIN_IDENTIFIERS: ADMIN_NID });
});
afterAll(async () => {
  await t?.close();
});

const REASON = 'Person at the desk, ID card checked';
const streamOf = (nid: string) => accountStream(accountIdFor(t.services.keys.streamNames, nid));
const typesIn = async (nid: string) => (await t.services.store.readStream(streamOf(nid))).map((e) => e.type);

async function helpdesk() {
  const person = await registeredPerson(t);
  await grant(t, person.nid, 'HELPDESK');
  const session = await signIn(t, person.nid, PASSWORD, person.email);
  return { ...person, token: session.token as string };
}

describe('the helpdesk cannot regenerate a staff account', () => {
  it('refuses ADMIN, any staff role and the staff member’s own account, issuing nothing', async () => {
    const admin = await registeredPerson(t);
    expect(admin.nid).toBe(ADMIN_NID);
    const desk = await helpdesk();
    const targets = [admin, desk];
    for (const role of ['HELPDESK', 'AUDITOR', 'CASEWORKER'] as const) {
      const colleague = await registeredPerson(t);
      const granted = await t.app.inject({
        method: 'POST',
        url: '/dev/roles',
        payload: {
          identifier: colleague.nid,
          role,
          ...(role === 'CASEWORKER' ? { institution: 'ISSH' } : {}),
        },
      });
      expect(granted.statusCode).toBe(201);
      targets.push(colleague);
    }
    for (const target of targets) {
      const own = { phone: '+355699999999', email: 'desk-private@evil.example' };
      const answer = (
        await t.gql(REGENERATE, { identifier: target.nid, reason: REASON, ...own }, { token: desk.token })
      ).data.regeneratePassword;
      expect(answer).toMatchObject({
        __typename: 'InputRefused',
        field: 'identifier',
        code: 'STAFF_ACCOUNT',
      });
      expect(answer.message).toMatch(/ADMIN/);
      expect(await typesIn(target.nid)).not.toContain('TemporaryPasswordIssued');
      expect(await typesIn(target.nid)).not.toContain('ContactChanged');
    }
    await t.services.notifier.idle();
    expect(t.services.outbox.list('desk-private@evil.example')).toHaveLength(0);
  });

  it('needs a reason of at least 10 characters for regeneratePassword and unlockAccount', async () => {
    const desk = await helpdesk();
    const person = await registeredPerson(t);
    for (let i = 0; i < 3; i++)
      await t.gql(START_LOGIN, { identifier: person.nid, password: 'wrong password' });
    for (const query of [REGENERATE, UNLOCK]) {
      const short = (
        await t.gql(query, { identifier: person.nid, reason: ' ok, done ' }, { token: desk.token })
      ).data;
      expect(Object.values(short)[0]).toMatchObject({ __typename: 'InputRefused', field: 'reason' });
    }
    expect(await typesIn(person.nid)).not.toContain('TemporaryPasswordIssued');
    expect(await typesIn(person.nid)).not.toContain('AccountUnlocked');
    const unlocked = (await t.gql(UNLOCK, { identifier: person.nid, reason: REASON }, { token: desk.token }))
      .data.unlockAccount;
    expect(unlocked.__typename).toBe('HelpdeskActionDone');
  });

  it('records a staff reading for the account status each action answers with', async () => {
    const desk = await helpdesk();
    const person = await registeredPerson(t);
    for (let i = 0; i < 3; i++)
      await t.gql(START_LOGIN, { identifier: person.nid, password: 'wrong password' });
    const unlocked = (await t.gql(UNLOCK, { identifier: person.nid, reason: REASON }, { token: desk.token }))
      .data.unlockAccount;
    expect(unlocked.__typename).toBe('HelpdeskActionDone');
    const regenerated = (
      await t.gql(
        REGENERATE,
        { identifier: person.nid, reason: 'Forgot everything, ID card checked' },
        {
          token: desk.token,
        },
      )
    ).data.regeneratePassword;
    expect(regenerated.__typename).toBe('HelpdeskActionDone');
    const access = (await t.gql(MY_DATA_ACCESS, {}, { token: person.token })).data.myDataAccess.edges;
    expect(access.map((e: { node: unknown }) => e.node)).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          role: 'HELPDESK',
          purpose: REASON,
          what: 'Account status after unlockAccount',
        }),
        expect.objectContaining({
          role: 'HELPDESK',
          purpose: 'Forgot everything, ID card checked',
          what: 'Account status after regeneratePassword',
        }),
      ]),
    );
  });
});
