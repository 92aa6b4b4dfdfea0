import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshNid, registeredPerson } from '../account/flows.js';
import { startTestApp, type TestApp } from '../support/harness.js';
import { START_RECOVERY } from './flows.js';

/**
 * The security review's "decoy channels distinguishable": decoys showed six fixed e-mail domains, a
 * letter first and only Albanian mobiles, while a real account showed its whole e-mail domain.
 */
let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({ LIMIT_SIGNIN_PER_IP_PER_MINUTE: '100000' });
});
afterAll(async () => {
  await t?.close();
});

/** One shape for every masked channel, real or decoy: the mailbox's first character; a number's last two digits. */
const EMAIL_SHAPE = /^[a-z0-9_]\*\*\*@\*\*\*$/;
const PHONE_SHAPE = /^\+\*\*\* \*\*\* \*\*\d{2}$/;

const channelsOf = async (identifier: string) => {
  const step = (await t.gql(START_RECOVERY, { identifier })).data.startPasswordRecovery;
  const to = (channel: string) => step.channels.find((c: { channel: string }) => c.channel === channel).to;
  return { email: to('EMAIL') as string, phone: to('SMS') as string };
};

describe('masked channels look alike for real accounts and decoys', () => {
  it('hides a real account’s e-mail domain and phone prefix, keeping the first character and last two digits', async () => {
    const real = await registeredPerson(t);
    const shown = await channelsOf(real.nid);
    expect(shown.email).toBe(`${real.email[0]}***@***`);
    expect(shown.phone).toBe(`+*** *** **${real.phone.slice(-2)}`);
    expect(shown.email).toMatch(EMAIL_SHAPE);
    expect(shown.phone).toMatch(PHONE_SHAPE);
  });

  it('draws decoys from the same shape: any first character, any last two digits', async () => {
    const shown = [];
    for (let i = 0; i < 120; i++) shown.push(await channelsOf(freshNid()));
    for (const { email, phone } of shown) {
      expect(email).toMatch(EMAIL_SHAPE);
      expect(phone).toMatch(PHONE_SHAPE);
    }
    expect(shown.some((s) => /^\d/.test(s.email))).toBe(true);
    expect(new Set(shown.map((s) => s.email[0])).size).toBeGreaterThan(20);
    expect(new Set(shown.map((s) => s.phone.slice(-2))).size).toBeGreaterThan(50);
  });
});
