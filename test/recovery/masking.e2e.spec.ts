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

/** One shape for every masked channel, real or decoy: first character, the domain's initial, its TLD. */
const EMAIL_SHAPE = /^[a-z0-9]\*\*\*@[a-z0-9]\*\*\*\.[a-z]{2,}$/;
const PHONE_SHAPE = /^\+\d{1,3} \d{2}\*+\d{2}$/;

const channelsOf = async (identifier: string) => {
  const step = (await t.gql(START_RECOVERY, { identifier })).data.startPasswordRecovery;
  const to = (channel: string) => step.channels.find((c: { channel: string }) => c.channel === channel).to;
  return { email: to('EMAIL') as string, phone: to('SMS') as string };
};

describe('masked channels look alike for real accounts and decoys', () => {
  it('hides a real account’s e-mail domain, keeping only its initial and top-level domain', async () => {
    const real = await registeredPerson(t);
    const shown = await channelsOf(real.nid);
    expect(shown.email).toBe(`${real.email[0]}***@e***.al`);
    expect(shown.email).toMatch(EMAIL_SHAPE);
    expect(shown.phone).toMatch(PHONE_SHAPE);
  });

  it('draws decoys from the same shape: any first character, varied domains, foreign phones for some', async () => {
    const shown = [];
    for (let i = 0; i < 120; i++) shown.push(await channelsOf(freshNid()));
    for (const { email, phone } of shown) {
      expect(email).toMatch(EMAIL_SHAPE);
      expect(phone).toMatch(PHONE_SHAPE);
    }
    expect(shown.some((s) => /^\d/.test(s.email))).toBe(true);
    expect(shown.some((s) => !s.phone.startsWith('+355 '))).toBe(true);
    expect(shown.filter((s) => s.phone.startsWith('+355 ')).length).toBeGreaterThan(shown.length / 2);
    expect(new Set(shown.map((s) => s.email.split('@')[1])).size).toBeGreaterThan(6);
  });
});
