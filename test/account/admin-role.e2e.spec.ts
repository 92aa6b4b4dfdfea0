import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/harness.js';
import { GRANT, ME, REVOKE, registeredPerson, signIn } from './flows.js';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({ ADMIN_IDENTIFIERS: 'K20304003T' });
});
afterAll(async () => {
  await t?.close();
});

const REASON = 'new staff member, ticket 42';

describe('ADMIN comes only from ADMIN_IDENTIFIERS', () => {
  it('grantRole and revokeRole of ADMIN answer NOT_GRANTABLE on role; other roles are granted', async () => {
    const admin = await registeredPerson(t);
    const dev = await t.app.inject({
      method: 'POST',
      url: '/dev/roles',
      payload: { identifier: admin.nid, role: 'ADMIN' },
    });
    expect(dev.statusCode).toBe(201); // development may still make an admin
    const session = await signIn(t, admin.nid, admin.password, admin.email);
    const other = await registeredPerson(t);

    const granted = await t.gql(
      GRANT,
      { identifier: other.nid, role: 'ADMIN', reason: REASON },
      { token: session.token },
    );
    expect(granted.data.grantRole).toMatchObject({
      __typename: 'InputRefused',
      field: 'role',
      code: 'NOT_GRANTABLE',
    });
    expect((await t.gql(ME, {}, { token: other.token })).data.me.roles).toEqual(['CITIZEN']);

    const revoked = await t.gql(
      REVOKE,
      { identifier: admin.nid, role: 'ADMIN', reason: REASON },
      { token: session.token },
    );
    expect(revoked.data.revokeRole).toMatchObject({ field: 'role', code: 'NOT_GRANTABLE' });

    const helpdesk = await t.gql(
      GRANT,
      { identifier: other.nid, role: 'HELPDESK', reason: REASON },
      { token: session.token },
    );
    expect(helpdesk.data.grantRole.account.roles).toEqual(['CITIZEN', 'HELPDESK']);
  });
});
