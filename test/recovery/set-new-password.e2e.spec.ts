import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accountIdFor } from '../../src/app/account/account-id.js';
import { freshNid, registeredPerson } from '../account/flows.js';
import { startTestApp, type TestApp } from '../support/harness.js';
import { SET_NEW_PASSWORD } from './flows.js';

/**
 * The security review's setNewPassword findings: it judged the password (telling whether the account
 * exists: only a real one has an identifier to refuse) and ran argon2 before it checked the change
 * token, for anyone, without limit.
 */
let t: TestApp;
let hashes = 0;
beforeAll(async () => {
  t = await startTestApp({ LIMIT_SIGNIN_PER_IP_PER_MINUTE: '5' });
  const hash = t.services.passwords.hash.bind(t.services.passwords);
  t.services.passwords.hash = (password: string) => {
    hashes += 1;
    return hash(password);
  };
});
afterAll(async () => {
  await t?.close();
});

const fakeToken = (accountId: string) => `${accountId}.${randomBytes(32).toString('base64url')}`;

describe('setNewPassword checks the change token first', () => {
  it('answers a made-up token the same for a real account and an unknown one, hashing nothing', async () => {
    const real = await registeredPerson(t);
    const unknown = freshNid();
    const before = hashes;
    const answers = [];
    for (const nid of [real.nid, unknown]) {
      const accountId = accountIdFor(t.services.keys.streamNames, nid);
      const answer = await t.gql(SET_NEW_PASSWORD, {
        changeToken: fakeToken(accountId),
        newPassword: `${nid.toLowerCase()}-x-long`,
        securityQuestion: 'q?',
        securityAnswer: 'y'.repeat(400),
      });
      answers.push(answer.data.setNewPassword);
    }
    expect(answers).toEqual([
      { __typename: 'CodeRejected', reason: 'INVALID', attemptsLeft: 0 },
      { __typename: 'CodeRejected', reason: 'INVALID', attemptsLeft: 0 },
    ]);
    expect(hashes).toBe(before);
  });

  it('is limited per client IP like sign-in', async () => {
    const accountId = accountIdFor(t.services.keys.streamNames, freshNid());
    const errors = [];
    for (let i = 0; i < 8; i++) {
      const answer = await t.gql(SET_NEW_PASSWORD, {
        changeToken: fakeToken(accountId),
        newPassword: 'x'.repeat(40),
      });
      errors.push(answer.errors?.[0]?.extensions?.code ?? answer.data.setNewPassword.__typename);
    }
    expect(errors).toContain('RATE_LIMITED');
  });
});
