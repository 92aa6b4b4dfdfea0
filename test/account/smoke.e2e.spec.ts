import { afterAll, beforeAll, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/harness.js';
import { ME, registeredPerson, signIn } from './flows.js';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => {
  await t?.close();
});

it('registers, confirms and signs in', async () => {
  const person = await registeredPerson(t);
  const me = await t.gql(ME, {}, { token: person.token });
  expect(me.data.me.identifier).toBe(person.nid);
  const session = await signIn(t, person.nid, person.password, person.email);
  expect(session.__typename).toBe('SessionStarted');
});
