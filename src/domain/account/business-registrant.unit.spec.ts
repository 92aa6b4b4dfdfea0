import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { businessRegistrant } from './registration.js';

const NID = 'J00101999W';
const OTHER = 'J05515001C';

describe('businessRegistrant: who may register a business', () => {
  it('the administrator the registry names, signed in to their own citizen account', () => {
    expect(businessRegistrant({ kind: 'CITIZEN', identifier: NID }, NID, NID)).toBe('ADMINISTRATOR');
    expect(businessRegistrant({ kind: 'CITIZEN', identifier: NID }, NID, NID.toLowerCase())).toBe(
      'ADMINISTRATOR',
    );
  });

  it('nobody signed in, another person, or a business account: sign-in required', () => {
    expect(businessRegistrant(null, NID, NID)).toBe('SIGN_IN_REQUIRED');
    expect(businessRegistrant({ kind: 'CITIZEN', identifier: OTHER }, NID, NID)).toBe('SIGN_IN_REQUIRED');
    expect(businessRegistrant({ kind: 'BUSINESS', identifier: NID }, NID, NID)).toBe('SIGN_IN_REQUIRED');
  });

  it('signed in as the NID given, which the registry no longer names: not the administrator', () => {
    expect(businessRegistrant({ kind: 'CITIZEN', identifier: NID }, NID, OTHER)).toBe('NOT_ADMINISTRATOR');
  });

  it('never admits anyone but a citizen session whose identifier is both the given and the registered NID', () => {
    const nid = fc.constantFrom(NID, OTHER, 'I80715002N');
    fc.assert(
      fc.property(
        fc.option(
          fc.record({ kind: fc.constantFrom('CITIZEN' as const, 'BUSINESS' as const), identifier: nid }),
        ),
        nid,
        nid,
        (session, given, registered) => {
          const admitted = businessRegistrant(session, given, registered) === 'ADMINISTRATOR';
          expect(admitted).toBe(
            session?.kind === 'CITIZEN' && session.identifier === given && registered === given,
          );
        },
      ),
    );
  });
});
