import { describe, it } from 'vitest';
import {
  ACCOUNT_ID,
  at,
  BOTH,
  CHALLENGE,
  changeGranted,
  codeHash,
  command,
  followedBy,
  given,
  HASH,
  isoAt,
  lockedAccount,
  otpIssued,
  otpRejected,
  otpVerified,
  SESSION,
  sessionStarted,
  signedIn,
  T0,
  WRONG_CODE,
} from '../../../test/support/account-fixtures.js';
import type { AccountEvent } from './events.js';
import { CHANGE_TOKEN_TTL_MS, CODE_TTL_MS, FAILURES_BEFORE_LOCK, LOCK_MS, MAX_WRONG_CODES } from './rules.js';

const startPasswordChange = (now = T0) =>
  command.startSignIn({
    purpose: 'PASSWORD_CHANGE',
    challengeId: CHALLENGE.passwordChange,
    codeHash: codeHash(CHALLENGE.passwordChange),
    now,
  });
const passwordChanged = (now: Date, passwordHash: string = HASH.newPassword): AccountEvent => ({
  type: 'PasswordChanged',
  data: { accountId: ACCOUNT_ID, passwordHash, changedAt: now.toISOString() },
});
const endedByChange = (sessionId: string, now: Date): AccountEvent => ({
  type: 'SessionEnded',
  data: { accountId: ACCOUNT_ID, sessionId, reason: 'PASSWORD_CHANGED', endedAt: now.toISOString() },
});
/** Signed in (SESSION.registration and SESSION.signIn open) with a PASSWORD_CHANGE code open. */
const changeStarted = () => followedBy(signedIn(), startPasswordChange());

describe('StartSignIn (purpose PASSWORD_CHANGE)', () => {
  it('the right password sends a PASSWORD_CHANGE code', () => {
    given(signedIn())
      .when(startPasswordChange(at(1)))
      .then(
        [
          { type: 'PasswordAccepted', data: { accountId: ACCOUNT_ID, acceptedAt: isoAt(1) } },
          otpIssued(CHALLENGE.passwordChange, 'PASSWORD_CHANGE', at(1)),
        ],
        {
          kind: 'CodeSent',
          challengeId: CHALLENGE.passwordChange,
          channels: BOTH,
          expiresAt: isoAt(1 + CODE_TTL_MS),
        },
      );
  });

  it('a wrong password counts toward the same lock as signing in', () => {
    given(signedIn())
      .when(command.startSignIn({ purpose: 'PASSWORD_CHANGE', passwordMatches: false, now: at(1) }))
      .then(
        [
          {
            type: 'PasswordRejected',
            data: { accountId: ACCOUNT_ID, countedFailures: 1, rejectedAt: isoAt(1) },
          },
        ],
        { kind: 'SignInRejected' },
      );
  });

  it('while locked it is refused unverified (SignInRefused START_PASSWORD_CHANGE)', () => {
    given(lockedAccount())
      .when(startPasswordChange(at(1)))
      .then(
        [
          {
            type: 'SignInRefused',
            data: {
              accountId: ACCOUNT_ID,
              step: 'START_PASSWORD_CHANGE',
              reason: 'LOCKED',
              lockedUntil: isoAt(LOCK_MS),
              refusedAt: isoAt(1),
            },
          },
        ],
        { kind: 'Locked', lockedUntil: isoAt(LOCK_MS) },
      );
  });
});

describe('ChangePassword', () => {
  it('the right code changes the password and ends every other session (keepSessionId stays)', () => {
    given(changeStarted())
      .when(command.changePassword({ now: at(1) }))
      .then(
        [
          otpVerified(CHALLENGE.passwordChange, at(1)),
          passwordChanged(at(1)),
          endedByChange(SESSION.registration, at(1)),
        ],
        { kind: 'PasswordChanged', endedSessions: [SESSION.registration] },
      );
  });

  it('a wrong code is counted on the challenge', () => {
    given(changeStarted())
      .when(command.changePassword({ codeHash: WRONG_CODE, now: at(1) }))
      .then([otpRejected(CHALLENGE.passwordChange, 1, at(1))], {
        kind: 'CodeRejected',
        reason: 'INVALID',
        attemptsLeft: MAX_WRONG_CODES - 1,
      });
  });

  it('unhashed (the handler saw a refusal coming): a wrong code is counted as ever', () => {
    given(changeStarted())
      .when(command.changePassword({ codeHash: WRONG_CODE, passwordHash: null, now: at(1) }))
      .then([otpRejected(CHALLENGE.passwordChange, 1, at(1))], {
        kind: 'CodeRejected',
        reason: 'INVALID',
        attemptsLeft: MAX_WRONG_CODES - 1,
      });
  });

  it('unhashed with the right code (it changed in between): refused, and the code is not used up', () => {
    given(changeStarted())
      .when(command.changePassword({ passwordHash: null, now: at(1) }))
      .thenNothing({ kind: 'CodeRejected', reason: 'INVALID', attemptsLeft: 0 });
  });

  it('a sign-in code does not change the password: INVALID', () => {
    given(changeStarted())
      .when(command.changePassword({ challengeId: CHALLENGE.signIn, codeHash: codeHash(CHALLENGE.signIn) }))
      .thenNothing({ kind: 'CodeRejected', reason: 'INVALID', attemptsLeft: 0 });
  });

  it('during a lock no code is judged: Locked, and the attempt is recorded (SignInRefused COMPLETE_PASSWORD_CHANGE)', () => {
    const history = followedBy(
      changeStarted(),
      ...Array.from({ length: FAILURES_BEFORE_LOCK }, () =>
        command.startSignIn({ passwordMatches: false, challengeId: 'challenge-other', now: at(1) }),
      ),
    );
    given(history)
      .when(command.changePassword({ now: at(2) }))
      .then(
        [
          {
            type: 'SignInRefused',
            data: {
              accountId: ACCOUNT_ID,
              step: 'COMPLETE_PASSWORD_CHANGE',
              reason: 'LOCKED',
              lockedUntil: isoAt(1 + LOCK_MS),
              refusedAt: isoAt(2),
            },
          },
        ],
        { kind: 'Locked', lockedUntil: isoAt(1 + LOCK_MS) },
      );
  });
});

describe('SetNewPassword (with a change token)', () => {
  it('changes the password, ends every older session and starts a new one', () => {
    const now = at(1);
    given(changeGranted())
      .when(command.setNewPassword({ now }))
      .then(
        [passwordChanged(now), endedByChange(SESSION.registration, now), sessionStarted(SESSION.reset, now)],
        {
          kind: 'PasswordReset',
          sessionId: SESSION.reset,
          expiresAt: sessionStarted(SESSION.reset, now).data.expiresAt,
          endedSessions: [SESSION.registration],
        },
      );
  });

  it('ends the lock: the right password is accepted at once afterwards', () => {
    const history = followedBy(
      changeGranted('SECURITY_ANSWER', at(1), lockedAccount()),
      command.setNewPassword({ now: at(2) }),
    );
    given(history)
      .when(command.startSignIn({ now: at(3) }))
      .then([
        { type: 'PasswordAccepted', data: { accountId: ACCOUNT_ID, acceptedAt: isoAt(3) } },
        otpIssued(CHALLENGE.signIn, 'SIGN_IN', at(3)),
      ]);
  });

  it('after the e-mail branch a new security question is required (QuestionRequired), nothing appended', () => {
    given(changeGranted('EMAIL'))
      .when(command.setNewPassword({ now: at(1) }))
      .thenNothing({ kind: 'QuestionRequired' });
  });

  it('after the e-mail branch, with a new question: SecurityQuestionSet follows PasswordChanged', () => {
    given(changeGranted('EMAIL'))
      .when(
        command.setNewPassword({
          security: { question: 'Qyteti i lindjes?', answerHash: HASH.newAnswer },
          now: at(1),
        }),
      )
      .then([
        passwordChanged(at(1)),
        {
          type: 'SecurityQuestionSet',
          data: {
            accountId: ACCOUNT_ID,
            securityAnswerHash: HASH.newAnswer,
            setAt: isoAt(1),
            personal: { securityQuestion: 'Qyteti i lindjes?' },
          },
        },
        endedByChange(SESSION.registration, at(1)),
        sessionStarted(SESSION.reset, at(1)),
      ]);
  });

  it('grants ADMIN (ADMIN_IDENTIFIERS) to a configured admin', () => {
    given(changeGranted())
      .when(command.setNewPassword({ grantAdmin: true, now: at(1) }))
      .then([
        passwordChanged(at(1)),
        endedByChange(SESSION.registration, at(1)),
        sessionStarted(SESSION.reset, at(1)),
        {
          type: 'RoleGranted',
          data: {
            accountId: ACCOUNT_ID,
            role: 'ADMIN',
            institution: null,
            reason: 'ADMIN_IDENTIFIERS',
            grantedAt: isoAt(1),
          },
        },
      ]);
  });

  it('the change token expires CHANGE_TOKEN_TTL_MS after it was handed out', () => {
    given(changeGranted())
      .when(command.setNewPassword({ now: at(CHANGE_TOKEN_TTL_MS) }))
      .thenNothing({ kind: 'CodeRejected', reason: 'EXPIRED', attemptsLeft: 0 });
  });

  it('the change token is used once: ALREADY_USED', () => {
    given(followedBy(changeGranted(), command.setNewPassword({ now: at(1) })))
      .when(command.setNewPassword({ sessionId: 'session-2', now: at(2) }))
      .thenNothing({ kind: 'CodeRejected', reason: 'ALREADY_USED', attemptsLeft: 0 });
  });

  it('another token, or no grant at all, is INVALID', () => {
    given(changeGranted())
      .when(command.setNewPassword({ changeTokenHash: 'hmac-other-token', now: at(1) }))
      .thenNothing({ kind: 'CodeRejected', reason: 'INVALID', attemptsLeft: 0 });
    given(signedIn())
      .when(command.setNewPassword())
      .thenNothing({ kind: 'CodeRejected', reason: 'INVALID', attemptsLeft: 0 });
  });
});
