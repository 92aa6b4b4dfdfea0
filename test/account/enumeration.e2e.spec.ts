import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accountIdFor } from '../../src/app/account/account-id.js';
import {
  ANSWER,
  COMPLETE_LOGIN_ANY,
  CONFIRM_EMAIL,
  RESEND_RECOVERY,
  SET_NEW_PASSWORD,
  START_RECOVERY,
  VERIFY_RECOVERY,
} from '../recovery/flows.js';
import { startTestApp, type TestApp } from '../support/harness.js';
import { CONFIRM, freshNid, RESEND, registeredPerson, START_LOGIN } from './flows.js';

/**
 * Every answer that takes an id derived from an identifier (a challenge id, a recovery id, a change
 * token: `<accountId>.<random>`, the account id being a keyed hash of the identifier) must be the same
 * for an identifier with an account and one without, locked or not: otherwise anyone holding the
 * derivation's output for a guessed personal number learns whether that person has an account.
 */
let t: TestApp;

interface Subject {
  identifier: string;
  accountId: string;
  recoveryId: string;
}
/** [with an account, without one]: both locked by three wrong passwords, and both never locked. */
const pairs: Array<{ name: string; known: Subject; unknown: Subject }> = [];

async function subject(identifier: string, lock: boolean): Promise<Subject> {
  if (lock)
    for (let i = 0; i < 3; i += 1)
      await t.gql(START_LOGIN, { identifier, password: `wrong-password-${i}-of-three` });
  const started = (await t.gql(START_RECOVERY, { identifier })).data.startPasswordRecovery;
  expect(started.__typename).toBe('RecoveryStep');
  return {
    identifier,
    accountId: accountIdFor(t.services.keys.streamNames, identifier),
    recoveryId: started.recoveryId,
  };
}

beforeAll(async () => {
  t = await startTestApp({ LIMIT_SIGNIN_PER_IP_PER_MINUTE: '100000' });
  const lockedPerson = await registeredPerson(t);
  const openPerson = await registeredPerson(t);
  pairs.push(
    {
      name: 'locked',
      known: await subject(lockedPerson.nid, true),
      unknown: await subject(freshNid(), true),
    },
    {
      name: 'not locked',
      known: await subject(openPerson.nid, false),
      unknown: await subject(freshNid(), false),
    },
  );
  const lockedNow = (await t.gql(START_LOGIN, { identifier: lockedPerson.nid, password: 'x' })).data
    .startLogin;
  expect(lockedNow.__typename).toBe('AccountLocked');
});
afterAll(async () => {
  await t?.close();
});

type Ask = (s: Subject, random: { id: string; token: string }) => Promise<unknown>;
const data = async (query: string, variables: Record<string, unknown>) => {
  const answer = await t.gql(query, variables);
  return answer.errors ? { errors: answer.errors.map((e) => e.extensions?.code) } : answer.data;
};
const madeUp = (s: Subject, r: { id: string }) => `${s.accountId}.${r.id}`;

const ASKS: Record<string, Ask> = {
  completeLogin: (s, r) => data(COMPLETE_LOGIN_ANY, { challengeId: madeUp(s, r), code: '123456' }),
  'completeLogin with the recovery id': (s) =>
    data(COMPLETE_LOGIN_ANY, { challengeId: s.recoveryId, code: '123456' }),
  confirmRegistration: (s, r) => data(CONFIRM, { challengeId: madeUp(s, r), code: '123456' }),
  resendCode: (s, r) => data(RESEND, { challengeId: madeUp(s, r) }),
  'resendCode with the recovery id': (s) => data(RESEND, { challengeId: s.recoveryId }),
  verifyRecoveryCode: (s, r) => data(VERIFY_RECOVERY, { recoveryId: madeUp(s, r), code: '123456' }),
  resendRecoveryCode: (s, r) => data(RESEND_RECOVERY, { recoveryId: madeUp(s, r) }),
  answerSecurityQuestion: (s, r) => data(ANSWER, { recoveryId: madeUp(s, r), answer: 'Drita' }),
  confirmRecoveryEmail: (s, r) =>
    data(CONFIRM_EMAIL, { recoveryId: madeUp(s, r), email: 'someone@example.al' }),
  setNewPassword: (s, r) =>
    data(SET_NEW_PASSWORD, {
      changeToken: `${s.accountId}.${r.token}`,
      newPassword: 'a-long-new-password-2026',
    }),
};

/** What an answer says, masked contacts aside (a decoy's are look-alikes, judged by masking's own test). */
function shape(answer: unknown): unknown {
  return JSON.parse(JSON.stringify(answer), (key, value) =>
    key === 'to' || key === 'recoveryId' ? typeof value : value,
  );
}

describe('no answer tells an identifier with an account from one without', () => {
  it('the same answer for known and unknown ids, locked or not, for every operation taking a derived id', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...Object.keys(ASKS)),
        fc.constantFrom(0, 1),
        fc.stringMatching(/^[A-Za-z0-9_-]{16}$/),
        fc.stringMatching(/^[A-Za-z0-9_-]{43}$/),
        async (operation, pair, id, token) => {
          const { known, unknown } = pairs[pair]!;
          const ask = ASKS[operation]!;
          const [fromKnown, fromUnknown] = [
            await ask(known, { id, token }),
            await ask(unknown, { id, token }),
          ];
          expect(shape(fromKnown), `${operation}, ${pairs[pair]!.name}`).toEqual(shape(fromUnknown));
        },
      ),
      { numRuns: 60, seed: 1313 },
    );
  });

  it('every operation is asked at least once for both pairs (the property above is not vacuous)', async () => {
    for (const pair of pairs)
      for (const [operation, ask] of Object.entries(ASKS)) {
        const random = { id: 'AAAAAAAAAAAAAAAA', token: 'B'.repeat(43) };
        expect(shape(await ask(pair.known, random)), `${operation}, ${pair.name}`).toEqual(
          shape(await ask(pair.unknown, random)),
        );
      }
  });
});
