import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accountIdFor } from '../../src/app/account/account-id.js';
import { accountStream } from '../../src/domain/shared/streams.js';
import { readLockoutStatus } from '../../src/projections/lockout.js';
import {
  COMPLETE_CHANGE,
  freshNid,
  ME,
  PASSWORD,
  registeredPerson,
  START_CHANGE,
  START_LOGIN,
  signIn,
} from '../account/flows.js';
import { startTestApp, type TestApp } from '../support/harness.js';
import {
  ANSWER,
  COMPLETE_LOGIN_ANY,
  CONFIRM_EMAIL,
  latestMessage,
  latestSecret,
  RESEND_RECOVERY,
  SET_NEW_PASSWORD,
  START_RECOVERY,
  VERIFY_RECOVERY,
} from './flows.js';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({ LIMIT_SIGNIN_PER_IP_PER_MINUTE: '100000' });
});
afterAll(async () => {
  await t?.close();
});

const NEW_PASSWORD = 'shkembi-i-kuq-ne-breg-77';
const streamOf = (nid: string) => accountStream(accountIdFor(t.services.keys.streamNames, nid));
const typesIn = async (nid: string) => (await t.services.store.readStream(streamOf(nid))).map((e) => e.type);

async function lock(nid: string) {
  for (let i = 0; i < 3; i++) await t.gql(START_LOGIN, { identifier: nid, password: 'wrong password' });
  const locked = (await t.gql(START_LOGIN, { identifier: nid, password: PASSWORD })).data.startLogin;
  expect(locked.__typename).toBe('AccountLocked');
}

/** startPasswordRecovery + verifyRecoveryCode with the code from the outbox. */
async function recoverToQuestion(nid: string, email: string) {
  const started = (await t.gql(START_RECOVERY, { identifier: nid })).data.startPasswordRecovery;
  expect(started).toMatchObject({ __typename: 'RecoveryStep', next: 'ENTER_CODE', securityQuestion: null });
  const code = await latestSecret(t, email);
  const verified = (await t.gql(VERIFY_RECOVERY, { recoveryId: started.recoveryId, code })).data
    .verifyRecoveryCode;
  expect(verified).toMatchObject({ __typename: 'RecoveryStep', next: 'ANSWER_SECURITY_QUESTION' });
  return verified.recoveryId as string;
}

/** startLogin with the temporary password, then its code: PasswordChangeRequired. */
async function signInWithTemporary(nid: string, temporary: string, email: string) {
  const started = (await t.gql(START_LOGIN, { identifier: nid, password: temporary })).data.startLogin;
  expect(started.__typename).toBe('OtpSent');
  const code = await latestSecret(t, email);
  return (await t.gql(COMPLETE_LOGIN_ANY, { challengeId: started.challengeId, code })).data.completeLogin;
}

describe('forgotten password', () => {
  it('code, answer, temporary password during a lock, new code, PasswordChangeRequired, new password', async () => {
    const person = await registeredPerson(t);
    await lock(person.nid);
    const recoveryId = await recoverToQuestion(person.nid, person.email);
    // The answer is compared after normalising: case, spaces.
    const answered = (await t.gql(ANSWER, { recoveryId, answer: '  DRITA ' })).data.answerSecurityQuestion;
    expect(answered).toMatchObject({ __typename: 'RecoveryStep', next: 'SIGN_IN_WITH_TEMPORARY_PASSWORD' });
    const temporary = await latestSecret(t, person.phone);
    expect(await latestSecret(t, person.email)).toBe(temporary);

    // Accepted during the lock; it never starts a normal session.
    const required = await signInWithTemporary(person.nid, temporary, person.email);
    expect(required).toMatchObject({ __typename: 'PasswordChangeRequired', requiresSecurityQuestion: false });
    const { changeToken } = required;
    const lockout = () => readLockoutStatus(t.services.readDb, streamOf(person.nid), t.clock.now());
    expect(lockout().locked).toBe(true);

    // A refused password uses up nothing.
    const weak = (await t.gql(SET_NEW_PASSWORD, { changeToken, newPassword: 'short' })).data.setNewPassword;
    expect(weak.__typename).toBe('PasswordRefused');
    expect(weak.codes).toContain('TOO_SHORT');
    const updated = (await t.gql(SET_NEW_PASSWORD, { changeToken, newPassword: NEW_PASSWORD })).data
      .setNewPassword;
    expect(updated.__typename).toBe('PasswordUpdated');
    expect(updated.session.token).toEqual(expect.any(String));
    // The helpdesk's read model agrees: setting the password ended the lock.
    expect(lockout()).toMatchObject({ locked: false, failedPasswordAttempts: 0 });
    expect((await t.gql(ME, {}, { token: updated.session.token })).data.me.identifier).toBe(person.nid);

    // The token is single-use; older sessions, the old and the temporary password are gone; the lock ended.
    const again = (await t.gql(SET_NEW_PASSWORD, { changeToken, newPassword: NEW_PASSWORD })).data
      .setNewPassword;
    expect(again).toEqual({ __typename: 'CodeRejected', reason: 'ALREADY_USED', attemptsLeft: 0 });
    expect((await t.gql(ME, {}, { token: person.token })).data.me).toBeNull();
    for (const password of [PASSWORD, temporary])
      expect(
        (await t.gql(START_LOGIN, { identifier: person.nid, password })).data.startLogin.__typename,
      ).toBe('LoginRejected');
    expect((await signIn(t, person.nid, NEW_PASSWORD, person.email)).__typename).toBe('SessionStarted');

    // Told by SMS and e-mail, with no secret in the message.
    const told = t.services.outbox.list(person.phone).find((m) => /changed|ndryshua/.test(m.body));
    expect(told?.body).not.toMatch(/\d{6}/);
    const types = await typesIn(person.nid);
    for (const type of [
      'RecoveryStarted',
      'RecoveryCodeVerified',
      'SecurityAnswerAccepted',
      'TemporaryPasswordIssued',
      'TemporaryPasswordAccepted',
      'TemporaryPasswordUsed',
      'PasswordChangeAuthorised',
      'PasswordChanged',
    ])
      expect(types).toContain(type);
    const stored = JSON.stringify(await t.services.store.readStream(streamOf(person.nid)));
    for (const secret of [temporary, changeToken, NEW_PASSWORD, 'Drita'])
      expect(stored).not.toContain(secret);
  });

  it('three wrong answers end the recovery without locking; a new recovery needs a new code', async () => {
    const person = await registeredPerson(t);
    const recoveryId = await recoverToQuestion(person.nid, person.email);
    const left = [];
    for (let i = 0; i < 3; i++)
      left.push((await t.gql(ANSWER, { recoveryId, answer: 'Vera' })).data.answerSecurityQuestion);
    expect(left).toEqual([
      { __typename: 'AnswerRejected', attemptsLeft: 2 },
      { __typename: 'AnswerRejected', attemptsLeft: 1 },
      { __typename: 'AnswerRejected', attemptsLeft: 0 },
    ]);
    const late = (await t.gql(ANSWER, { recoveryId, answer: 'Drita' })).data.answerSecurityQuestion;
    expect(late).toEqual({ __typename: 'AnswerRejected', attemptsLeft: 0 });
    expect(
      (await t.gql(START_LOGIN, { identifier: person.nid, password: PASSWORD })).data.startLogin.__typename,
    ).toBe('OtpSent');
    const next = await recoverToQuestion(person.nid, person.email);
    expect(
      (await t.gql(ANSWER, { recoveryId: next, answer: 'drita' })).data.answerSecurityQuestion.next,
    ).toBe('SIGN_IN_WITH_TEMPORARY_PASSWORD');
  });

  it('a password change ends a recovery that is still running: its code and its question stop working', async () => {
    const person = await registeredPerson(t);
    // Someone (who intercepted a code) got a recovery to the question; another waits for its code.
    const atQuestion = await recoverToQuestion(person.nid, person.email);
    const started = (await t.gql(START_CHANGE, { currentPassword: person.password }, { token: person.token }))
      .data.startPasswordChange;
    expect(started.__typename).toBe('OtpSent');
    const code = await latestSecret(t, person.email);
    const changed = (
      await t.gql(
        COMPLETE_CHANGE,
        { challengeId: started.challengeId, code, newPassword: NEW_PASSWORD },
        { token: person.token },
      )
    ).data.completePasswordChange;
    expect(changed.__typename).toBe('PasswordUpdated');
    const answered = (await t.gql(ANSWER, { recoveryId: atQuestion, answer: 'Drita' })).data
      .answerSecurityQuestion;
    expect(answered).toMatchObject({ __typename: 'CodeRejected', reason: 'EXPIRED' });
    const types = await typesIn(person.nid);
    expect(types.slice(types.lastIndexOf('PasswordChanged'))).not.toContain('TemporaryPasswordIssued');
    // One still waiting for its code ends alike.
    const waiting = (await t.gql(START_RECOVERY, { identifier: person.nid })).data.startPasswordRecovery;
    const recoveryCode = await latestSecret(t, person.email);
    const again = (await t.gql(START_CHANGE, { currentPassword: NEW_PASSWORD }, { token: person.token })).data
      .startPasswordChange;
    const againCode = await latestSecret(t, person.email);
    expect(
      (
        await t.gql(
          COMPLETE_CHANGE,
          { challengeId: again.challengeId, code: againCode, newPassword: `${NEW_PASSWORD}-2` },
          { token: person.token },
        )
      ).data.completePasswordChange.__typename,
    ).toBe('PasswordUpdated');
    expect(
      (await t.gql(VERIFY_RECOVERY, { recoveryId: waiting.recoveryId, code: recoveryCode })).data
        .verifyRecoveryCode,
    ).toMatchObject({ __typename: 'CodeRejected', reason: 'EXPIRED' });
    // A recovery started afterwards works as ever.
    const next = await recoverToQuestion(person.nid, person.email);
    expect(
      (await t.gql(ANSWER, { recoveryId: next, answer: 'drita' })).data.answerSecurityQuestion.next,
    ).toBe('SIGN_IN_WITH_TEMPORARY_PASSWORD');
  });

  it('an older recovery stops working once a newer one starts', async () => {
    const person = await registeredPerson(t);
    const first = (await t.gql(START_RECOVERY, { identifier: person.nid })).data.startPasswordRecovery;
    const firstCode = await latestSecret(t, person.email);
    const second = (await t.gql(START_RECOVERY, { identifier: person.nid })).data.startPasswordRecovery;
    expect(second.recoveryId).not.toBe(first.recoveryId);
    const old = (await t.gql(VERIFY_RECOVERY, { recoveryId: first.recoveryId, code: firstCode })).data
      .verifyRecoveryCode;
    expect(old).toEqual({ __typename: 'CodeRejected', reason: 'EXPIRED', attemptsLeft: 0 });
    expect(
      (await t.gql(RESEND_RECOVERY, { recoveryId: first.recoveryId })).data.resendRecoveryCode.__typename,
    ).toBe('CodeRejected');
  });

  it('resendRecoveryCode is throttled, and the new code replaces the old', async () => {
    const person = await registeredPerson(t);
    const started = (await t.gql(START_RECOVERY, { identifier: person.nid })).data.startPasswordRecovery;
    const oldCode = await latestSecret(t, person.email);
    t.clock.advance(1000);
    const first = (await t.gql(RESEND_RECOVERY, { recoveryId: started.recoveryId })).data.resendRecoveryCode;
    expect(first).toMatchObject({ __typename: 'RecoveryStep', next: 'ENTER_CODE' });
    const throttled = (await t.gql(RESEND_RECOVERY, { recoveryId: started.recoveryId })).data
      .resendRecoveryCode;
    expect(throttled.__typename).toBe('RateLimited');
    const newCode = await latestSecret(t, person.email);
    if (newCode !== oldCode) {
      const stale = (await t.gql(VERIFY_RECOVERY, { recoveryId: started.recoveryId, code: oldCode })).data
        .verifyRecoveryCode;
      expect(stale.__typename).toBe('CodeRejected');
    }
    const verified = (await t.gql(VERIFY_RECOVERY, { recoveryId: started.recoveryId, code: newCode })).data
      .verifyRecoveryCode;
    expect(verified).toMatchObject({ next: 'ANSWER_SECURITY_QUESTION', securityQuestion: 'Emri i gjyshes?' });
  });

  it('a temporary password dies after 5 wrong passwords, even during a lock', async () => {
    const person = await registeredPerson(t);
    const recoveryId = await recoverToQuestion(person.nid, person.email);
    await t.gql(ANSWER, { recoveryId, answer: 'Drita' });
    const temporary = await latestSecret(t, person.phone);
    for (let i = 0; i < 5; i++)
      await t.gql(START_LOGIN, { identifier: person.nid, password: 'not it at all' });
    const after = (await t.gql(START_LOGIN, { identifier: person.nid, password: temporary })).data.startLogin;
    expect(after.__typename).toBe('AccountLocked');
    expect(await typesIn(person.nid)).toContain('TemporaryPasswordVoided');
  });

  it('answers an unknown identifier alike, with the same look-alike channels, and sends nothing', async () => {
    const unknown = freshNid();
    const before = t.services.outbox.list().length;
    const a = (await t.gql(START_RECOVERY, { identifier: unknown })).data.startPasswordRecovery;
    const b = (await t.gql(START_RECOVERY, { identifier: unknown.toLowerCase() })).data.startPasswordRecovery;
    expect(a).toMatchObject({ __typename: 'RecoveryStep', next: 'ENTER_CODE', securityQuestion: null });
    expect(b.channels).toEqual(a.channels);
    expect(a.channels).toEqual([
      { channel: 'SMS', to: expect.stringMatching(/^\+\*\*\* \*\*\* \*\*\d\d$/) },
      { channel: 'EMAIL', to: expect.stringMatching(/^[a-z0-9_]\*\*\*@\*\*\*$/) },
    ]);
    expect(a.recoveryId).toMatch(/^[0-9a-f]{32}\.[A-Za-z0-9_-]{16}$/);
    await t.services.notifier.idle();
    expect(t.services.outbox.list()).toHaveLength(before);
    // A wrong code answers as it would for an account.
    const wrong = (await t.gql(VERIFY_RECOVERY, { recoveryId: b.recoveryId, code: '123456' })).data
      .verifyRecoveryCode;
    expect(wrong).toEqual({ __typename: 'CodeRejected', reason: 'INVALID', attemptsLeft: 4 });
  });
});

describe('forgotten security question', () => {
  it('the e-mail proves identity; the new password must come with a new question', async () => {
    const person = await registeredPerson(t);
    const recoveryId = await recoverToQuestion(person.nid, person.email);
    const wrong = (await t.gql(CONFIRM_EMAIL, { recoveryId, email: 'someone@example.al' })).data
      .confirmRecoveryEmail;
    expect(wrong).toEqual({ __typename: 'EmailRejected', attemptsLeft: 2 });
    const right = (await t.gql(CONFIRM_EMAIL, { recoveryId, email: ` ${person.email.toUpperCase()} ` })).data
      .confirmRecoveryEmail;
    expect(right).toMatchObject({ __typename: 'RecoveryStep', next: 'SIGN_IN_WITH_TEMPORARY_PASSWORD' });
    const temporary = await latestSecret(t, person.email);
    const required = await signInWithTemporary(person.nid, temporary, person.email);
    expect(required).toMatchObject({ __typename: 'PasswordChangeRequired', requiresSecurityQuestion: true });

    const noQuestion = (
      await t.gql(
        SET_NEW_PASSWORD,
        { changeToken: required.changeToken, newPassword: NEW_PASSWORD },
        { headers: { 'accept-language': 'en' } },
      )
    ).data.setNewPassword;
    expect(noQuestion).toEqual({
      __typename: 'PasswordRefused',
      codes: ['QUESTION_REQUIRED'],
      reasons: ['Set a new security question and its answer.'],
    });
    const updated = (
      await t.gql(SET_NEW_PASSWORD, {
        changeToken: required.changeToken,
        newPassword: NEW_PASSWORD,
        securityQuestion: 'Qyteti i lindjes?',
        securityAnswer: 'Gjirokastër',
      })
    ).data.setNewPassword;
    expect(updated.__typename).toBe('PasswordUpdated');
    expect(await typesIn(person.nid)).toContain('SecurityQuestionSet');

    // The next recovery asks the new question and takes the new answer.
    const next = (await t.gql(START_RECOVERY, { identifier: person.nid })).data.startPasswordRecovery;
    const code = await latestSecret(t, person.email);
    const question = (await t.gql(VERIFY_RECOVERY, { recoveryId: next.recoveryId, code })).data
      .verifyRecoveryCode;
    expect(question.securityQuestion).toBe('Qyteti i lindjes?');
    expect(
      (await t.gql(ANSWER, { recoveryId: next.recoveryId, answer: 'GJIROKASTËR' })).data
        .answerSecurityQuestion.next,
    ).toBe('SIGN_IN_WITH_TEMPORARY_PASSWORD');
    expect((await latestMessage(t, person.email))?.body).toMatch(/\d{6}/);
  });
});
