import { describe, it } from 'vitest';
import {
  ACCOUNT_ID,
  activeAccount,
  at,
  CHALLENGE,
  command,
  contactChangeStarted,
  followedBy,
  given,
  isoAt,
  NEW_EMAIL,
  NEW_PHONE,
  otpIssued,
  otpRejected,
  otpVerified,
  PERSON,
  registeredCitizen,
  signedIn,
  T0,
  WRONG_CODE,
} from '../../../test/support/account-fixtures.js';
import type { NewContacts } from './commands.js';
import type { AccountEvent, Channel } from './events.js';
import { CODE_TTL_MS, MAX_WRONG_CODES, REAUTHENTICATION_MS } from './rules.js';

const C = CHALLENGE.contactChange;
const started = (personal: NewContacts, now: Date): AccountEvent => ({
  type: 'ContactChangeStarted',
  data: { accountId: ACCOUNT_ID, challengeId: C, startedAt: now.toISOString(), personal },
});

describe('StartContactChange', () => {
  const sendsTo = (newContacts: NewContacts, channels: Channel[]) => {
    const now = at(REAUTHENTICATION_MS);
    given(activeAccount())
      .when(command.startContactChange({ newContacts, now }))
      .then([started(newContacts, now), otpIssued(C, 'CONTACT_CHANGE', now, undefined, channels)], {
        kind: 'CodeSent',
        challengeId: C,
        channels,
        expiresAt: isoAt(REAUTHENTICATION_MS + CODE_TTL_MS),
      });
  };

  it('a session started at most REAUTHENTICATION_MS ago: a CONTACT_CHANGE code only to the new e-mail', () =>
    sendsTo({ email: NEW_EMAIL }, ['EMAIL']));

  it('a new phone only: the code goes by SMS only', () => sendsTo({ phone: NEW_PHONE }, ['SMS']));

  it('both new: the code goes to both new contacts', () =>
    sendsTo({ email: NEW_EMAIL, phone: NEW_PHONE }, ['SMS', 'EMAIL']));

  it('only the contacts that differ are part of the change', () => {
    given(activeAccount())
      .when(
        command.startContactChange({ newContacts: { email: PERSON.email, phone: NEW_PHONE }, now: at(1) }),
      )
      .then([
        started({ phone: NEW_PHONE }, at(1)),
        otpIssued(C, 'CONTACT_CHANGE', at(1), undefined, ['SMS']),
      ]);
  });

  it('a session started longer than REAUTHENTICATION_MS ago: ReauthenticationRequired', () => {
    given(activeAccount())
      .when(command.startContactChange({ now: at(REAUTHENTICATION_MS + 1) }))
      .thenNothing({ kind: 'ReauthenticationRequired' });
  });

  it('an unknown session: ReauthenticationRequired', () => {
    given(activeAccount())
      .when(command.startContactChange({ sessionId: 'session-unknown' }))
      .thenNothing({ kind: 'ReauthenticationRequired' });
  });

  it('a session that was ended: ReauthenticationRequired', () => {
    given(followedBy(signedIn(), command.endSession({ sessionId: 'session-registration' })))
      .when(command.startContactChange({ now: at(1) }))
      .thenNothing({ kind: 'ReauthenticationRequired' });
  });

  it('nothing differs from the profile: ContactChanged at once, nothing appended', () => {
    given(activeAccount())
      .when(
        command.startContactChange({
          newContacts: { email: PERSON.email.toUpperCase(), phone: PERSON.phone },
        }),
      )
      .thenNothing({ kind: 'ContactChanged' });
  });

  it('an unconfirmed account or no account: NotRegistered', () => {
    given(registeredCitizen()).when(command.startContactChange()).thenNothing({ kind: 'NotRegistered' });
    given([]).when(command.startContactChange()).thenNothing({ kind: 'NotRegistered' });
  });
});

describe('CompleteContactChange', () => {
  it('the right code changes the contacts it was sent to', () => {
    given(contactChangeStarted({ email: NEW_EMAIL, phone: NEW_PHONE }))
      .when(command.completeContactChange({ now: at(1) }))
      .then(
        [
          otpVerified(C, at(1)),
          {
            type: 'ContactChanged',
            data: {
              accountId: ACCOUNT_ID,
              challengeId: C,
              changedAt: isoAt(1),
              personal: { email: NEW_EMAIL, phone: NEW_PHONE },
            },
          },
        ],
        { kind: 'ContactChanged' },
      );
  });

  it('a wrong code is counted on the challenge', () => {
    given(contactChangeStarted())
      .when(command.completeContactChange({ codeHash: WRONG_CODE, now: at(1) }))
      .then([otpRejected(C, 1, at(1))], {
        kind: 'CodeRejected',
        reason: 'INVALID',
        attemptsLeft: MAX_WRONG_CODES - 1,
      });
  });

  it('the code expires CODE_TTL_MS after it was issued', () => {
    given(contactChangeStarted())
      .when(command.completeContactChange({ now: at(CODE_TTL_MS) }))
      .thenNothing({ kind: 'CodeRejected', reason: 'EXPIRED', attemptsLeft: 0 });
  });

  it('a newer contact change voids the older one: EXPIRED', () => {
    const history = followedBy(
      contactChangeStarted({ email: NEW_EMAIL }),
      command.startContactChange({
        challengeId: 'challenge-contact-change-2',
        newContacts: { phone: NEW_PHONE },
        now: at(1),
      }),
    );
    given(history)
      .when(command.completeContactChange({ now: at(2) }))
      .thenNothing({ kind: 'CodeRejected', reason: 'EXPIRED', attemptsLeft: 0 });
  });

  it('used once: ALREADY_USED', () => {
    given(followedBy(contactChangeStarted(), command.completeContactChange()))
      .when(command.completeContactChange({ now: at(1) }))
      .thenNothing({ kind: 'CodeRejected', reason: 'ALREADY_USED', attemptsLeft: 0 });
  });

  it('a code of another purpose is INVALID', () => {
    given(contactChangeStarted())
      .when(command.completeContactChange({ challengeId: CHALLENGE.registration, now: T0 }))
      .thenNothing({ kind: 'CodeRejected', reason: 'INVALID', attemptsLeft: 0 });
  });
});
