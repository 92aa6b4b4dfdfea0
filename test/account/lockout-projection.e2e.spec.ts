import { afterAll, beforeAll, expect, it } from 'vitest';
import { accountIdFor } from '../../src/app/account/account-id.js';
import { accountStream } from '../../src/domain/shared/streams.js';
import { readLockoutStatus } from '../../src/projections/lockout.js';
import { startTestApp, type TestApp } from '../support/harness.js';
import { registeredPerson, START_LOGIN, signIn } from './flows.js';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => {
  await t?.close();
});

it('shows counted failures, the lock and its end on the clock, and equals itself rebuilt', async () => {
  const person = await registeredPerson(t);
  const stream = accountStream(accountIdFor(t.services.keys.streamNames, person.nid));
  const status = () => readLockoutStatus(t.services.readDb, stream, t.clock.now());
  await t.gql(START_LOGIN, { identifier: person.nid, password: 'wrong one' });
  await t.gql(START_LOGIN, { identifier: person.nid, password: 'wrong two' });
  // Mutations answer after the read models caught up (read your writes).
  expect(status()).toMatchObject({ failedPasswordAttempts: 2, locked: false });
  const lockedAt = t.clock.now().getTime();
  await t.gql(START_LOGIN, { identifier: person.nid, password: 'wrong three' });
  expect(status()).toEqual({
    failedPasswordAttempts: 3,
    locked: true,
    lockedUntil: new Date(lockedAt + 3 * 3600_000).toISOString(),
    lastSignInAt: expect.any(String),
  });
  t.clock.advance(3 * 3600_000);
  expect(status()).toMatchObject({ failedPasswordAttempts: 0, locked: false, lockedUntil: null });
  await t.gql(START_LOGIN, { identifier: person.nid, password: 'wrong four' });
  expect(status().failedPasswordAttempts).toBe(1);
  const session = await signIn(t, person.nid, person.password, person.email);
  expect(status()).toMatchObject({ failedPasswordAttempts: 0, lastSignInAt: t.clock.now().toISOString() });
  expect(session.__typename).toBe('SessionStarted');

  const live = t.services.readDb.prepare('SELECT * FROM lockout_status ORDER BY stream').all();
  await t.services.projections.rebuild();
  expect(t.services.readDb.prepare('SELECT * FROM lockout_status ORDER BY stream').all()).toEqual(live);
});
