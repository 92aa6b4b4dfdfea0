import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accountIdFor } from '../../src/app/account/account-id.js';
import { accountStream } from '../../src/domain/shared/streams.js';
import { startTestApp, type TestApp } from '../support/harness.js';
import {
  addBusiness,
  businessInput,
  REGISTER_BUSINESS,
  registeredBusiness,
  registeredPerson,
} from './flows.js';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => {
  await t?.close();
});

const eventsOf = async (nipt: string) =>
  t.services.store.readStream(accountStream(accountIdFor(t.services.keys.streamNames, nipt)));

const SIGN_IN_REQUIRED = {
  __typename: 'InputRefused',
  field: 'administratorNid',
  code: 'ADMINISTRATOR_SIGN_IN_REQUIRED',
};

describe('registerBusiness: only the administrator, signed in to their own citizen account', () => {
  it('refuses a caller without a session, although the NIPT and administrator NID match the registry', async () => {
    const administrator = await registeredPerson(t);
    const { nipt } = await addBusiness(t, administrator.nid);
    const answer = await t.gql(REGISTER_BUSINESS, { input: businessInput(nipt, administrator.nid) });
    expect(answer.data.registerBusiness).toMatchObject(SIGN_IN_REQUIRED);
    expect(answer.data.registerBusiness.message).toEqual(expect.any(String));
    expect(await eventsOf(nipt)).toEqual([]);
    // The real administrator can still register it afterwards: nobody squatted the NIPT.
    const sent = await t.gql(
      REGISTER_BUSINESS,
      { input: businessInput(nipt, administrator.nid) },
      { token: administrator.token },
    );
    expect(sent.data.registerBusiness.__typename).toBe('OtpSent');
  });

  it("refuses another person's session", async () => {
    const administrator = await registeredPerson(t);
    const someoneElse = await registeredPerson(t);
    const { nipt } = await addBusiness(t, administrator.nid);
    const answer = await t.gql(
      REGISTER_BUSINESS,
      { input: businessInput(nipt, administrator.nid) },
      { token: someoneElse.token },
    );
    expect(answer.data.registerBusiness).toMatchObject(SIGN_IN_REQUIRED);
    expect(await eventsOf(nipt)).toEqual([]);
  });

  it("refuses a business account's session, even for a business that person administers", async () => {
    const administrator = await registeredPerson(t);
    const first = await registeredBusiness(t, administrator);
    const { nipt } = await addBusiness(t, administrator.nid);
    const answer = await t.gql(
      REGISTER_BUSINESS,
      { input: businessInput(nipt, administrator.nid) },
      { token: first.token },
    );
    expect(answer.data.registerBusiness).toMatchObject(SIGN_IN_REQUIRED);
  });

  it('re-checks the registry at that moment: an administrator replaced since is refused', async () => {
    const formerAdministrator = await registeredPerson(t);
    const newAdministrator = await registeredPerson(t);
    const { nipt } = await addBusiness(t, formerAdministrator.nid);
    await addBusiness(t, newAdministrator.nid, nipt);
    const answer = await t.gql(
      REGISTER_BUSINESS,
      { input: businessInput(nipt, formerAdministrator.nid) },
      { token: formerAdministrator.token },
    );
    expect(answer.data.registerBusiness).toMatchObject({
      field: 'administratorNid',
      code: 'NOT_ADMINISTRATOR',
    });
    expect(await eventsOf(nipt)).toEqual([]);
  });

  it('registers the business for its signed-in administrator, who then signs in as the business', async () => {
    const administrator = await registeredPerson(t);
    const business = await registeredBusiness(t, administrator);
    const me = await t.gql('{ me { kind identifier roles } }', {}, { token: business.token });
    expect(me.data.me).toEqual({ kind: 'BUSINESS', identifier: business.nipt, roles: ['BUSINESS'] });
  });
});
