import { type Client, createClient } from 'graphql-ws';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import WebSocket from 'ws';
import { changeRole } from '../../src/app/account/roles.js';
import { systemActor } from '../../src/domain/shared/events.js';
import {
  COMPLETE_CHANGE,
  LOGOUT,
  latestCode,
  type Person,
  registeredPerson,
  START_CHANGE,
  signIn,
} from '../account/flows.js';
import { startTestApp, type TestApp } from '../support/harness.js';
import { MUTATIONS } from './support.js';
import { countSubscriptions, subscribe } from './ws-subscriber.js';

const NEW_PASSWORD = 'deti-i-kalter-ne-jug-2027';

/**
 * A live subscription is re-checked on every push, with the real authenticator: a stolen token's
 * subscription gets nothing more once the victim's session has ended, and its socket is closed.
 */
describe('applicationUpdated after the session or the role has gone', () => {
  let t: TestApp;
  let url: string;
  let subscribers: (id: string) => number;
  const clients: Client[] = [];
  const closes: number[] = [];
  beforeEach(async () => {
    t = await startTestApp();
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    url = `ws://127.0.0.1:${(t.app.server.address() as { port: number }).port}/graphql`;
    subscribers = countSubscriptions(t.app);
    closes.length = 0;
  });
  afterEach(async () => {
    for (const c of clients.splice(0)) await c.dispose();
    await t?.close();
  });

  function client(token: string) {
    const c = createClient({
      url,
      webSocketImpl: WebSocket,
      retryAttempts: 0,
      lazy: true,
      connectionParams: { authorization: `Bearer ${token}` },
      on: { closed: (event) => closes.push((event as { code: number }).code) },
    });
    clients.push(c);
    return c;
  }

  async function caseworker(): Promise<Person> {
    const person = await registeredPerson(t);
    const granted = await t.app.inject({
      method: 'POST',
      url: '/dev/roles',
      payload: { identifier: person.nid, role: 'CASEWORKER', institution: 'DPGJC' },
    });
    expect(granted.statusCode).toBe(201);
    const session = await signIn(t, person.nid, person.password, person.email);
    return { ...person, token: session.token };
  }

  /** The victim applies; the thief follows with the victim's token, a caseworker with their own. */
  async function followed() {
    const victim = await registeredPerson(t);
    const staff = await caseworker();
    const applied = await t.gql(MUTATIONS.apply, { serviceId: 'DPGJC-PERSONAL-CERTIFICATE' }, victim);
    const id = applied.data.applyForService.id as string;
    const thief = subscribe(client(victim.token), { id });
    const control = subscribe(client(staff.token), { id });
    await vi.waitFor(() => expect(subscribers(id)).toBe(2));
    await t.gql(MUTATIONS.assign, { id }, staff);
    await thief.until(() => thief.received.length === 1);
    await control.until(() => control.received.length === 1);
    return { victim, staff, id, thief, control };
  }

  const endings = {
    'changes the password in another session': async (victim: Person) => {
      const other = await signIn(t, victim.nid, victim.password, victim.email);
      const started = await t.gql(START_CHANGE, { currentPassword: victim.password }, { token: other.token });
      expect(started.data.startPasswordChange.__typename).toBe('OtpSent');
      const changed = await t.gql(
        COMPLETE_CHANGE,
        {
          challengeId: started.data.startPasswordChange.challengeId,
          code: latestCode(t, victim.email),
          newPassword: NEW_PASSWORD,
        },
        { token: other.token },
      );
      expect(changed.data.completePasswordChange.__typename).toBe('PasswordUpdated');
    },
    'logs out': async (victim: Person) => {
      expect((await t.gql(LOGOUT, {}, victim)).data.logout).toBe(true);
    },
  };

  for (const [how, end] of Object.entries(endings))
    it(`a stolen token's subscription gets nothing more once the victim ${how}, and is closed`, async () => {
      const { victim, staff, id, thief, control } = await followed();
      await end(victim);
      await t.gql(MUTATIONS.request, { id, message: 'Which bank?' }, staff);
      await control.until(() => control.received.length === 2);
      // The push reached the thief's connection too: it was refused there, and the socket closed.
      await thief.until(() => thief.errors.length > 0 || thief.completed);
      expect(thief.received.map((u) => u.status)).toEqual(['IN_REVIEW']);
      expect(closes).toContain(4403);
      expect(control.received.map((u) => u.status)).toEqual(['IN_REVIEW', 'INFORMATION_REQUESTED']);
    });

  it('a caseworker who loses the role gets nothing more, and the subscription completes', async () => {
    const { victim, staff, id, thief, control } = await followed();
    const revoked = await changeRole(
      t.services,
      { lang: 'en' },
      { actor: systemActor('test'), correlationId: 'revoke' },
      { identifier: staff.nid, role: 'CASEWORKER', reason: 'moved to another office' },
      'REVOKE',
    );
    expect(revoked.kind).toBe('RoleChanged');
    await t.gql(MUTATIONS.withdraw, { id }, victim);
    await thief.until(() => thief.received.length === 2);
    await control.until(() => control.completed || control.errors.length > 0);
    expect(control.received.map((u) => u.status)).toEqual(['IN_REVIEW']);
    expect(thief.received.at(-1)?.status).toBe('WITHDRAWN');
  });
});
