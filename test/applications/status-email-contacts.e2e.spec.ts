import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { statusEmailsSettled } from '../../src/app/applications/notify.js';
import { latestCode, registeredPerson } from '../account/flows.js';
import { COMPLETE_CONTACT, START_CONTACT } from '../recovery/flows.js';
import { startTestApp, type TestApp } from '../support/harness.js';
import { MUTATIONS } from './support.js';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => {
  await t?.close();
});

const statusMails = (to: string) =>
  t.services.outbox.list(to).filter((m) => m.body.includes('Your application for'));

describe('status e-mails go only to the confirmed e-mail address', () => {
  it('not to an address proposed in a contact change still unconfirmed; to it once confirmed', async () => {
    const person = await registeredPerson(t);
    const proposed = `proposed-${person.nid.toLowerCase()}@example.org`;
    const started = await t.gql(START_CONTACT, { email: proposed }, { token: person.token });
    expect(started.data.startContactChange.__typename).toBe('OtpSent');

    const applied = await t.gql(
      MUTATIONS.apply,
      { serviceId: 'DPGJC-PERSONAL-CERTIFICATE', documentIds: [] },
      { token: person.token },
    );
    const { id } = applied.data.applyForService;
    await statusEmailsSettled(t.services);
    expect(statusMails(proposed)).toEqual([]);
    expect(t.services.outbox.list(proposed)).toHaveLength(1); // the confirmation code, nothing else
    expect(statusMails(person.email).map((m) => m.body)).toEqual([expect.stringContaining('was submitted')]);

    const confirmed = await t.gql(
      COMPLETE_CONTACT,
      { challengeId: started.data.startContactChange.challengeId, code: latestCode(t, proposed) },
      { token: person.token },
    );
    expect(confirmed.data.completeContactChange).toMatchObject({ email: proposed });
    await t.gql(MUTATIONS.withdraw, { id }, { token: person.token });
    await statusEmailsSettled(t.services);
    expect(statusMails(proposed)).toHaveLength(1);
    expect(statusMails(person.email)).toHaveLength(1);
  });
});
