import { describe, it } from 'vitest';
import {
  ACCOUNT_ID,
  activeAccount,
  at,
  BOTH,
  CHALLENGE,
  codeHash,
  command,
  followedBy,
  given,
  HASH,
  isoAt,
  otpIssued,
  otpRejected,
  otpVerified,
  PERSON,
  registeredCitizen,
  SESSION,
  sessionStarted,
  T0,
  WRONG_CODE,
} from '../../../test/support/account-fixtures.js';
import type { AccountEvent } from './events.js';
import { CODE_TTL_MS, FAILURES_BEFORE_LOCK, LOCK_MS, MAX_WRONG_CODES } from './rules.js';

const registered = (now: Date, o: { administratorNid?: string; kind?: 'CITIZEN' | 'BUSINESS' } = {}) =>
  ({
    type: 'AccountRegistered',
    data: {
      accountId: ACCOUNT_ID,
      kind: o.kind ?? 'CITIZEN',
      registeredAt: now.toISOString(),
      passwordHash: HASH.password,
      securityAnswerHash: HASH.answer,
      personal: { ...PERSON, ...(o.administratorNid ? { administratorNid: o.administratorNid } : {}) },
    },
  }) satisfies AccountEvent;

describe('RegisterAccount', () => {
  it('records the registration and a REGISTRATION code to both contacts, valid CODE_TTL_MS', () => {
    given([])
      .when(command.registerAccount())
      .then([registered(T0), otpIssued(CHALLENGE.registration, 'REGISTRATION', T0)], {
        kind: 'CodeSent',
        challengeId: CHALLENGE.registration,
        channels: BOTH,
        expiresAt: isoAt(CODE_TTL_MS),
      });
  });

  it("keeps a business's administrator NID under personal", () => {
    given([])
      .when(command.registerAccount({ kind: 'BUSINESS', administratorNid: 'K12345678L' }))
      .then([
        registered(T0, { kind: 'BUSINESS', administratorNid: 'K12345678L' }),
        otpIssued(CHALLENGE.registration, 'REGISTRATION', T0),
      ]);
  });

  it('refuses over an active account (AlreadyRegistered), appending nothing', () => {
    given(activeAccount())
      .when(command.registerAccount({ now: at(1) }))
      .thenNothing({
        kind: 'AlreadyRegistered',
      });
  });

  it('refuses while the pending registration code is still valid (nobody can squat a number)', () => {
    given(registeredCitizen())
      .when(command.registerAccount({ challengeId: 'challenge-registration-2', now: at(CODE_TTL_MS - 1) }))
      .thenNothing({ kind: 'AlreadyRegistered' });
  });

  it('registers again once the pending registration code expired, CODE_TTL_MS later', () => {
    const now = at(CODE_TTL_MS);
    given(registeredCitizen())
      .when(command.registerAccount({ challengeId: 'challenge-registration-2', codeHash: 'h2', now }))
      .then([registered(now), otpIssued('challenge-registration-2', 'REGISTRATION', now, 'h2')], {
        kind: 'CodeSent',
        challengeId: 'challenge-registration-2',
        channels: BOTH,
        expiresAt: isoAt(2 * CODE_TTL_MS),
      });
  });
});

describe('ConfirmRegistration', () => {
  const confirmed = (now: Date): AccountEvent => ({
    type: 'RegistrationConfirmed',
    data: {
      accountId: ACCOUNT_ID,
      challengeId: CHALLENGE.registration,
      channels: BOTH,
      confirmedAt: now.toISOString(),
    },
  });

  it('the right code proves both contacts: the code is used, the account confirmed, a session started', () => {
    const now = at(CODE_TTL_MS - 1);
    given(registeredCitizen())
      .when(command.confirmRegistration({ now }))
      .then(
        [otpVerified(CHALLENGE.registration, now), confirmed(now), sessionStarted(SESSION.registration, now)],
        {
          kind: 'SessionStarted',
          sessionId: SESSION.registration,
          expiresAt: sessionStarted(SESSION.registration, now).data.expiresAt,
        },
      );
  });

  it('grants ADMIN (reason ADMIN_IDENTIFIERS) to an identifier configured as admin', () => {
    given(registeredCitizen())
      .when(command.confirmRegistration({ grantAdmin: true }))
      .then([
        otpVerified(CHALLENGE.registration, T0),
        confirmed(T0),
        sessionStarted(SESSION.registration, T0),
        {
          type: 'RoleGranted',
          data: {
            accountId: ACCOUNT_ID,
            role: 'ADMIN',
            institution: null,
            reason: 'ADMIN_IDENTIFIERS',
            grantedAt: T0.toISOString(),
          },
        },
      ]);
  });

  it('a wrong code is counted on the challenge (MAX_WRONG_CODES - 1 tries left)', () => {
    given(registeredCitizen())
      .when(command.confirmRegistration({ codeHash: WRONG_CODE, now: at(1) }))
      .then([otpRejected(CHALLENGE.registration, 1, at(1))], {
        kind: 'CodeRejected',
        reason: 'INVALID',
        attemptsLeft: MAX_WRONG_CODES - 1,
      });
  });

  it('the code expires CODE_TTL_MS after it was issued', () => {
    given(registeredCitizen())
      .when(command.confirmRegistration({ now: at(CODE_TTL_MS) }))
      .thenNothing({ kind: 'CodeRejected', reason: 'EXPIRED', attemptsLeft: 0 });
  });

  it('the code confirms once: again it is ALREADY_USED', () => {
    given(activeAccount())
      .when(command.confirmRegistration({ sessionId: 'session-2', now: at(1) }))
      .thenNothing({ kind: 'CodeRejected', reason: 'ALREADY_USED', attemptsLeft: 0 });
  });

  it('another challenge (or a code of another purpose) is INVALID', () => {
    given(registeredCitizen())
      .when(command.confirmRegistration({ challengeId: 'challenge-unknown' }))
      .thenNothing({ kind: 'CodeRejected', reason: 'INVALID', attemptsLeft: 0 });
  });

  it('a pending account locked by FAILURES_BEFORE_LOCK sign-in attempts refuses the code (SignInRefused)', () => {
    const locked = followedBy(
      registeredCitizen(),
      ...Array.from({ length: FAILURES_BEFORE_LOCK }, () => command.startSignIn({ passwordMatches: true })),
    );
    given(locked)
      .when(command.confirmRegistration({ now: at(1) }))
      .then(
        [
          {
            type: 'SignInRefused',
            data: {
              accountId: ACCOUNT_ID,
              step: 'CONFIRM_REGISTRATION',
              reason: 'LOCKED',
              lockedUntil: isoAt(LOCK_MS),
              refusedAt: isoAt(1),
            },
          },
        ],
        { kind: 'Locked', lockedUntil: isoAt(LOCK_MS) },
      );
  });

  it('on a stream with no registration the code is INVALID', () => {
    given([])
      .when(command.confirmRegistration({ codeHash: codeHash(CHALLENGE.registration) }))
      .thenNothing({ kind: 'CodeRejected', reason: 'INVALID', attemptsLeft: 0 });
  });
});
