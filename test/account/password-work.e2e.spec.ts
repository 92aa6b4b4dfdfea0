import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { accountIdFor } from '../../src/app/account/account-id.js';
import { PASSWORD_WORK_PER_ACCOUNT_PER_HOUR } from '../../src/domain/account/rules.js';
import { accountStream } from '../../src/domain/shared/streams.js';
import { startTestApp, type TestApp } from '../support/harness.js';
import { COMPLETE_CHANGE, latestCode, registeredPerson, START_CHANGE, signIn } from './flows.js';

/**
 * argon2 costs 19 MiB and tens of milliseconds a call: no caller may make the server do it without first
 * passing the cheap checks (the challenge and its code), and never more than a per-account budget.
 */
let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({ LIMIT_CODES_PER_ACCOUNT_PER_HOUR: '1000' });
});
afterAll(async () => {
  await t?.close();
});

const NEW_PASSWORD = 'nje-fjalekalim-i-ri-2026';
const argon2Calls = () => {
  const hash = vi.spyOn(t.services.passwords, 'hash');
  const verify = vi.spyOn(t.services.passwords, 'verify');
  return {
    count: () => hash.mock.calls.length + verify.mock.calls.length,
    restore: () => {
      hash.mockRestore();
      verify.mockRestore();
    },
  };
};

describe('completePasswordChange: the challenge and its code before any argon2 work', () => {
  it('a made-up challenge, a wrong code or no change started: refused without hashing', async () => {
    const person = await registeredPerson(t);
    const accountId = accountIdFor(t.services.keys.streamNames, person.nid);
    const calls = argon2Calls();
    try {
      const madeUp = await t.gql(
        COMPLETE_CHANGE,
        { challengeId: `${accountId}.AAAAAAAAAAAAAAAA`, code: '123456', newPassword: NEW_PASSWORD },
        { token: person.token },
      );
      expect(madeUp.data.completePasswordChange).toMatchObject({
        __typename: 'CodeRejected',
        reason: 'INVALID',
      });
      expect(calls.count()).toBe(0);
    } finally {
      calls.restore();
    }
    const started = (await t.gql(START_CHANGE, { currentPassword: person.password }, { token: person.token }))
      .data.startPasswordChange;
    const code = latestCode(t, person.email);
    const wrong = code === '000000' ? '111111' : '000000';
    const counting = argon2Calls();
    try {
      const refused = await t.gql(
        COMPLETE_CHANGE,
        { challengeId: started.challengeId, code: wrong, newPassword: NEW_PASSWORD },
        { token: person.token },
      );
      expect(refused.data.completePasswordChange).toMatchObject({
        __typename: 'CodeRejected',
        attemptsLeft: 4,
      });
      expect(counting.count()).toBe(0);
      // The wrong code is still counted on the challenge.
      const events = await t.services.store.readStream(accountStream(accountId));
      expect(events.at(-1)?.type).toBe('OtpRejected');
      const done = await t.gql(
        COMPLETE_CHANGE,
        { challengeId: started.challengeId, code, newPassword: NEW_PASSWORD },
        { token: person.token },
      );
      expect(done.data.completePasswordChange.__typename).toBe('PasswordUpdated');
      expect(counting.count()).toBe(1);
    } finally {
      counting.restore();
    }
  });

  it('startPasswordChange verifies the current password at most PASSWORD_WORK_PER_ACCOUNT_PER_HOUR times an hour', async () => {
    const person = await registeredPerson(t);
    const calls = argon2Calls();
    try {
      const answers: string[] = [];
      for (let i = 0; i < PASSWORD_WORK_PER_ACCOUNT_PER_HOUR + 3; i += 1)
        answers.push(
          (await t.gql(START_CHANGE, { currentPassword: person.password }, { token: person.token })).data
            .startPasswordChange.__typename,
        );
      expect(calls.count()).toBe(PASSWORD_WORK_PER_ACCOUNT_PER_HOUR);
      expect(answers.slice(-3)).toEqual(['RateLimited', 'RateLimited', 'RateLimited']);
      t.clock.advance(3600_000); // the next window (the session has ended meanwhile: sign in again)
      const session = await signIn(t, person.nid, person.password, person.email);
      expect(
        (await t.gql(START_CHANGE, { currentPassword: person.password }, { token: session.token })).data
          .startPasswordChange.__typename,
      ).toBe('OtpSent');
    } finally {
      calls.restore();
    }
  });
});
