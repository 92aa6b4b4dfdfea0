import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accountIdFor } from '../../src/app/account/account-id.js';
import { startLogin } from '../../src/app/account/sign-in.js';
import { CommandHandler } from '../../src/app/command-handler.js';
import type { Services } from '../../src/app/services.js';
import { accountStream } from '../../src/domain/shared/streams.js';
import { startTestApp, type TestApp } from '../support/harness.js';
import { registeredPerson, START_LOGIN } from './flows.js';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => {
  await t?.close();
});

const countTypes = async (stream: string) => {
  const counts: Record<string, number> = {};
  for (const e of await t.services.store.readStream(stream)) counts[e.type] = (counts[e.type] ?? 0) + 1;
  return counts;
};

describe('three strikes under concurrency', () => {
  it('50 simultaneous wrong passwords over HTTP record exactly 3 failures and 1 lock; every answer is normal', async () => {
    const person = await registeredPerson(t);
    // 1. Fire 50 requests at once through the whole HTTP stack.
    const responses = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        t.app.inject({
          method: 'POST',
          url: '/graphql',
          headers: { 'content-type': 'application/json' },
          payload: { query: START_LOGIN, variables: { identifier: person.nid, password: `wrong-${i}` } },
        }),
      ),
    );
    // 2. Each is a 200 with a result-union member, never an error.
    const kinds = responses.map((r) => {
      expect(r.statusCode).toBe(200);
      const body = r.json();
      expect(body.errors).toBeUndefined();
      return body.data.startLogin.__typename as string;
    });
    for (const kind of kinds) expect(['LoginRejected', 'AccountLocked', 'RateLimited']).toContain(kind);
    expect(kinds.filter((k) => k === 'LoginRejected')).toHaveLength(2);
    // 3. The stream holds exactly three failures and the lock appended with the third.
    const stream = accountStream(accountIdFor(t.services.keys.streamNames, person.nid));
    const counts = await countTypes(stream);
    expect(counts.PasswordRejected).toBe(3);
    expect(counts.AccountLocked).toBe(1);
    const events = await t.services.store.readStream(stream);
    const third = events.findIndex((e) => e.type === 'PasswordRejected' && e.data.countedFailures === 3);
    expect(events[third + 1]?.type).toBe('AccountLocked');
    // 4. Every attempt that reached the account is an event: each AccountLocked answer but the one of
    //    the third failure is a refusal recorded after the lock, counted as no failure.
    expect(counts.SignInRefused ?? 0).toBe(kinds.filter((k) => k === 'AccountLocked').length - 1);
    expect(events.slice(third + 2).every((e) => e.type === 'SignInRefused')).toBe(true);
  });

  it('two instances sharing one store, racing in any order the scheduler picks, never count a fourth failure', async () => {
    const person = await registeredPerson(t);
    const stream = accountStream(accountIdFor(t.services.keys.streamNames, person.nid));
    let round = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.scheduler(),
        fc.array(fc.integer({ min: 0, max: 1 }), { minLength: 4, maxLength: 8 }),
        async (s, instanceOf) => {
          round += 1;
          // Each round starts after the previous round's lock has ended.
          t.clock.advance(3 * 3600_000);
          const before = (await countTypes(stream)).PasswordRejected ?? 0;
          const lockedBefore = (await countTypes(stream)).AccountLocked ?? 0;
          const refusedBefore = (await countTypes(stream)).SignInRefused ?? 0;
          // 1. Two "instances": separate command handlers (own queue and cache) on the same store, and
          //    a password check whose completion order the scheduler decides.
          const instances: Services[] = [0, 1].map(() => ({
            ...t.services,
            commands: new CommandHandler(t.services.store),
            passwords: {
              ...t.services.passwords,
              verify: () => s.schedule(Promise.resolve(false), 'verify'),
              dummyVerify: () => s.schedule(Promise.resolve(false as const), 'dummy'),
            },
          }));
          const caller = {
            lang: 'en' as const,
            ip: `10.0.${round}.1`,
            meta: () => ({ actor: { kind: 'ANONYMOUS' as const }, correlationId: `r${round}` }),
          };
          // 2. Start every attempt, then let the scheduler resolve the password checks in its order.
          const answers = s.waitFor(
            Promise.all(instanceOf.map((i) => startLogin(instances[i]!, caller, person.nid, 'wrong'))),
          );
          const results = await answers;
          // 3. Exactly three new failures and one new lock, whatever the interleaving.
          const after = await countTypes(stream);
          expect((after.PasswordRejected ?? 0) - before).toBe(3);
          expect((after.AccountLocked ?? 0) - lockedBefore).toBe(1);
          // The others were refused during the lock, each recorded once.
          expect((after.SignInRefused ?? 0) - refusedBefore).toBe(instanceOf.length - 3);
          for (const r of results) expect(['LoginRejected', 'AccountLocked']).toContain(r.kind);
        },
      ),
      { numRuns: 15 },
    );
  });
});
