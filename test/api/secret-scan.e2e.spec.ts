import { Writable } from 'node:stream';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  COMPLETE_CHANGE,
  COMPLETE_LOGIN,
  latestCode,
  PASSWORD,
  RESEND,
  registeredBusiness,
  registeredPerson,
  START_CHANGE,
  START_LOGIN,
  signIn,
} from '../account/flows.js';
import { multipartBody, pdfBytes } from '../applications/fake-viewers.js';
import { MUTATIONS, QUERIES } from '../applications/support.js';
import {
  ANSWER,
  COMPLETE_CONTACT,
  COMPLETE_LOGIN_ANY,
  grant,
  latestSecret,
  REGENERATE,
  SET_NEW_PASSWORD,
  START_CONTACT,
  START_RECOVERY,
  VERIFY_RECOVERY,
} from '../recovery/flows.js';
import { startTestApp, type TestApp } from '../support/harness.js';

/**
 * Item 8 of issue 13: every flow runs with secrets this test knows (passwords, the security answer,
 * every code and temporary password, session and change tokens, a tracking code), and neither the
 * log (the request log and the services' own, at the most verbose level) nor any stored event holds
 * one of them. The dev outbox holds them on purpose and is the one place not scanned.
 */
const logLines: string[] = [];
const capture = new Writable({
  write(chunk, _encoding, done) {
    logLines.push(String(chunk));
    done();
  },
});
const logger = pino({ level: 'trace' }, capture);

let t: TestApp;
const secrets = new Map<string, string>();
const remember = (what: string, value: unknown) => {
  if (typeof value !== 'string' || value.length < 4) throw new Error(`no ${what}: ${String(value)}`);
  secrets.set(value, what);
};

const ANSWER_TEXT = 'Drita e Bardhe';
const NEW_PASSWORD = 'nje-tjeter-fjalekalim-2026';
const RECOVERED_PASSWORD = 'fjalekalim-pas-rikuperimit-2026';

beforeAll(async () => {
  t = await startTestApp(
    { LIMIT_SIGNIN_PER_IP_PER_MINUTE: '10000' },
    { logger: { level: 'trace', stream: capture }, serviceLog: logger },
  );
  remember('password', PASSWORD);
  remember('security answer', ANSWER_TEXT);
  remember('new password', NEW_PASSWORD);
  remember('recovered password', RECOVERED_PASSWORD);

  // Registration (its code), sign-in with a wrong and the right password (its code, a resend).
  const person = await registeredPerson(t, PASSWORD, ANSWER_TEXT);
  remember('registration session token', person.token);
  await t.gql(START_LOGIN, { identifier: person.nid, password: `${PASSWORD}-wrong` });
  const started = (await t.gql(START_LOGIN, { identifier: person.nid, password: PASSWORD })).data.startLogin;
  await t.gql(COMPLETE_LOGIN, { challengeId: started.challengeId, code: '000000' });
  t.clock.advance(31_000);
  await t.gql(RESEND, { challengeId: started.challengeId });
  const session = (
    await t.gql(COMPLETE_LOGIN, { challengeId: started.challengeId, code: latestCode(t, person.email) })
  ).data.completeLogin;
  remember('session token', session.token);

  // Password change.
  const change = (await t.gql(START_CHANGE, { currentPassword: PASSWORD }, { token: session.token })).data
    .startPasswordChange;
  await t.gql(
    COMPLETE_CHANGE,
    { challengeId: change.challengeId, code: latestCode(t, person.email), newPassword: NEW_PASSWORD },
    { token: session.token },
  );

  // Contact change (its code to the new address).
  const fresh = await signIn(t, person.nid, NEW_PASSWORD, person.email);
  remember('second session token', fresh.token);
  const newEmail = `new-${person.nid.toLowerCase()}@example.org`;
  const contact = (await t.gql(START_CONTACT, { email: newEmail }, { token: fresh.token })).data
    .startContactChange;
  await t.gql(
    COMPLETE_CONTACT,
    { challengeId: contact.challengeId, code: latestCode(t, newEmail) },
    { token: fresh.token },
  );

  // Recovery: code, answer, temporary password, its code, change token, new password.
  const other = await registeredPerson(t, PASSWORD, ANSWER_TEXT);
  const recovery = (await t.gql(START_RECOVERY, { identifier: other.nid })).data.startPasswordRecovery;
  const verified = (
    await t.gql(VERIFY_RECOVERY, {
      recoveryId: recovery.recoveryId,
      code: await latestSecret(t, other.email),
    })
  ).data.verifyRecoveryCode;
  await t.gql(ANSWER, { recoveryId: verified.recoveryId, answer: ANSWER_TEXT });
  const temporary = await latestSecret(t, other.phone);
  const withTemporary = (await t.gql(START_LOGIN, { identifier: other.nid, password: temporary })).data
    .startLogin;
  const required = (
    await t.gql(COMPLETE_LOGIN_ANY, {
      challengeId: withTemporary.challengeId,
      code: await latestSecret(t, other.email),
    })
  ).data.completeLogin;
  remember('change token', required.changeToken);
  const recovered = (
    await t.gql(SET_NEW_PASSWORD, { changeToken: required.changeToken, newPassword: RECOVERED_PASSWORD })
  ).data.setNewPassword;
  remember('session token after recovery', recovered.session.token);

  // The helpdesk's temporary password.
  const helpdesk = await registeredPerson(t);
  await grant(t, helpdesk.nid, 'HELPDESK');
  const desk = await signIn(t, helpdesk.nid, PASSWORD, helpdesk.email);
  await t.gql(
    REGENERATE,
    { identifier: person.nid, reason: 'called, identity checked at the counter' },
    { token: desk.token },
  );

  // A business, registered by its signed-in administrator.
  const business = await registeredBusiness(
    t,
    other.nid ? { ...other, token: recovered.session.token } : other,
  );
  remember('business session token', business.token);

  // A foreign national: upload, application, tracking code used in GraphQL and in a download's query string.
  const documentIds: string[] = [];
  for (const name of ['passport.pdf', 'contract.pdf', 'insurance.pdf']) {
    const { body, contentType } = multipartBody(pdfBytes(2048), name);
    const uploaded = await t.app.inject({
      method: 'POST',
      url: '/documents',
      headers: { 'content-type': contentType },
      payload: body,
    });
    documentIds.push(uploaded.json().documentId);
  }
  const documentId = documentIds[0]!;
  const applied = await t.gql(MUTATIONS.foreigner, {
    input: {
      serviceId: 'DKM-RESIDENCE-PERMIT',
      passportNumber: 'YA7654321',
      nationality: 'IT',
      fullName: 'Marco Bianchi',
      email: 'marco@example.it',
      documentIds,
    },
  });
  const trackingCode = applied.data.applyAsForeigner?.trackingCode;
  remember('tracking code', trackingCode);
  await t.gql(QUERIES.byCode, { code: trackingCode });
  await t.app.inject({ url: `/documents/${documentId}?trackingCode=${encodeURIComponent(trackingCode)}` });
  await t.app.inject({
    url: `/graphql?query=${encodeURIComponent(`{ applicationByTrackingCode(trackingCode: "${trackingCode}") { id } }`)}`,
  });

  await t.services.notifier.idle();
  // Every code and temporary password that went out (6 digits), from the outbox that holds them on purpose.
  for (const message of t.services.outbox.list())
    for (const digits of message.body.match(/\b\d{6}\b/g) ?? [])
      remember(`code in "${message.subject}"`, digits);
});
afterAll(async () => {
  await t?.close();
});

/** A secret as a whole word: six digits inside a longer hex or base64 run are not that code. */
const found = (text: string, secret: string) =>
  new RegExp(`(?<![0-9A-Za-z])${secret.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?![0-9A-Za-z])`).test(text);

describe('no secret in the log or the event store', () => {
  it('the flows ran: tokens, codes and a tracking code were collected, and the log is not empty', () => {
    expect(secrets.size).toBeGreaterThan(20);
    expect(logLines.length).toBeGreaterThan(50);
  });

  it('the log holds none of them', () => {
    const log = logLines.join('');
    const leaked = [...secrets].filter(([secret]) => found(log, secret)).map(([, what]) => what);
    expect(leaked).toEqual([]);
  });

  it('no stored event holds one of them', async () => {
    const events = JSON.stringify(await t.services.store.readAll());
    const leaked = [...secrets].filter(([secret]) => found(events, secret)).map(([, what]) => what);
    expect(leaked).toEqual([]);
  });
});
