import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { maskEmail, maskPhone } from '../../src/app/account/masking.js';
import { decoyContacts } from '../../src/app/account/recovery-decoy.js';
import { deriveKeys } from '../../src/infra/keys.js';

/**
 * A masked real contact must be something a decoy can also show: whatever a real address or number is
 * (a .org mailbox, a foreign mobile the decoys never use), its mask lies in the decoys' support.
 */
const key = deriveKeys('decoy-support-test-secret-0123456789-abcdef').streamNames;
const decoys = Array.from({ length: 6000 }, (_, i) => decoyContacts(key, i.toString(16).padStart(32, '0')));
const decoyEmails = new Set(decoys.map((d) => maskEmail(d.email)));
const decoyPhones = new Set(decoys.map((d) => maskPhone(d.phone)));

describe('masked real contacts lie within the decoys’ support', () => {
  it('the decoys show every mask shape there is: 37 e-mail masks and all 100 phone masks', () => {
    expect(decoyEmails.size).toBe(37);
    expect(decoyPhones.size).toBe(100);
  });

  it('any e-mail address, at any domain', () => {
    fc.assert(
      fc.property(fc.emailAddress(), (email) => {
        expect(decoyEmails.has(maskEmail(email))).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });

  it('any E.164 number, of any country and length', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^\+[1-9][0-9]{7,14}$/), (phone) => {
        expect(decoyPhones.has(maskPhone(phone))).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });

  it('examples the old masks gave away', () => {
    for (const email of ['drita@shoqata.org', 'Ben@uni-tirana.edu.al', '_x@example.museum'])
      expect(decoyEmails.has(maskEmail(email))).toBe(true);
    for (const phone of ['+81901234567', '+35542123456', '+996555123456'])
      expect(decoyPhones.has(maskPhone(phone))).toBe(true);
  });
});
