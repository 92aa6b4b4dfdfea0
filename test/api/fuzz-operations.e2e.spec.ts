import fc from 'fast-check';
import { buildSchema, isNonNullType } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { schemaText } from '../../src/api/graphql.js';
import { PASSWORD, type Person, registeredPerson, signIn } from '../account/flows.js';
import { startTestApp, type TestApp } from '../support/harness.js';
import { correlationHeaders, eventsTagged } from './correlation.js';
import { DeepJson, requestBody, valueFor } from './fuzz-arbitraries.js';
import { documentOf, type RootField, rootFields } from './schema-operations.js';

/**
 * Every query and mutation of the schema, called over HTTP with arguments fast-check derives from the
 * argument types (test/api/fuzz-arbitraries.ts), as an anonymous caller, a citizen and a member of
 * staff holding every staff role. Whatever arrives, the server must not fail: no HTTP 500 and no
 * INTERNAL; and a refusal of the input (BAD_USER_INPUT, InputRefused, PasswordRefused) must change
 * nothing, so no event carries that request's correlation id. Flow outcomes (a wrong password, a
 * wrong code) append their events, as they must. A field added to the schema is fuzzed here with no
 * line written for it. Fixed seed, bounded runs (RUNS per field).
 */

// Fixed, so a run is repeatable; FUZZ_SEED and FUZZ_RUNS explore further by hand.
const SEED = Number(process.env.FUZZ_SEED ?? 20261204);
const RUNS = Number(process.env.FUZZ_RUNS ?? 40);

type Who = 'anonymous' | 'citizen' | 'staff';

/** The cases the fuzzing found, kept as examples run before the random ones (field -> [args, caller]). */
const REGRESSIONS: Record<string, Array<[Record<string, unknown>, Who]>> = {
  // formData 5,000 deep: JSON.stringify in the size check overflowed the stack (INTERNAL); now refused
  // as BAD_USER_INPUT (src/api/json-bounds.ts) before anything is stored (seeds 1 and 2, 100 runs).
  applyForService: [
    [{ serviceId: 'IT1234567', formData: new DeepJson(5_000, false), documentIds: [''] }, 'staff'],
    [{ serviceId: 'DPGJC-PERSONAL-CERTIFICATE', formData: new DeepJson(5_000, true) }, 'citizen'],
  ],
  applyAsForeigner: [
    [
      {
        input: {
          serviceId: 'DKM-RESIDENCE-PERMIT',
          passportNumber: 'X1234567',
          nationality: 'DE',
          fullName: 'Jonas Weber',
          email: 'jonas@example.de',
          formData: new DeepJson(5_000, true),
        },
      },
      'anonymous',
    ],
  ],
};

// The schema the server serves is built from this text (src/api/graphql.ts); the test cases are listed
// from it before the app starts, and each run uses the app's own schema object.
const fieldsToFuzz = rootFields(buildSchema(schemaText)).filter((f) => f.on !== 'Subscription');

/** Long strings and deep values shortened, so a failure's report stays readable. */
function brief(value: unknown, depth = 0): unknown {
  if (value instanceof DeepJson) return value.toString();
  if (typeof value === 'string')
    return value.length > 80 ? `${value.slice(0, 40)}…(${value.length} chars)` : value;
  if (depth > 4) return '…(deeper)';
  if (Array.isArray(value)) return value.slice(0, 10).map((v) => brief(v, depth + 1));
  if (value && typeof value === 'object')
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, brief(v, depth + 1)]));
  return value;
}

function briefly(details: fc.RunDetails<[Record<string, unknown>, Who]>): void {
  if (!details.failed) return;
  const cause =
    details.errorInstance instanceof Error
      ? (details.errorInstance.stack ?? details.errorInstance.message)
      : String(details.errorInstance);
  throw new Error(
    `fuzzing failed (seed ${details.seed}, path ${details.counterexamplePath}) with ${JSON.stringify(
      brief(details.counterexample),
    )}:\n${cause}`,
  );
}

const REFUSALS = new Set(['InputRefused', 'PasswordRefused']);

describe('fuzzing every query and mutation over HTTP', () => {
  let t: TestApp;
  const people: Partial<Record<Who, Person>> = {};
  let serial = 0;
  /** What each caller got from each field: a result's __typename or an error's code. */
  const outcomes = new Map<string, Set<string>>();
  /** The server's error log: what an INTERNAL was, to say in the failure. */
  const logged: string[] = [];

  beforeAll(async () => {
    t = await startTestApp(
      {
        // Every request comes from one address: the per-IP limits would soon answer only 429.
        LIMIT_REQUESTS_PER_IP_PER_MINUTE: '1000000',
        LIMIT_SIGNIN_PER_IP_PER_MINUTE: '1000000',
        // The callers sign in again after the fuzzing ends their sessions: each time a code is sent.
        LIMIT_CODES_PER_ACCOUNT_PER_HOUR: '1000000',
      },
      { logger: { level: 'error', stream: { write: (line: string) => void logged.push(line) } } },
    );
    people.citizen = await registeredPerson(t);
    people.staff = await registeredPerson(t);
    for (const [role, institution] of [
      ['CASEWORKER', 'DPGJC'],
      ['HELPDESK', undefined],
      ['AUDITOR', undefined],
      ['ADMIN', undefined],
    ] as const) {
      const granted = await t.app.inject({
        method: 'POST',
        url: '/dev/roles',
        payload: { identifier: people.staff.nid, role, ...(institution ? { institution } : {}) },
      });
      expect(granted.statusCode, role).toBe(201);
    }
  });
  afterAll(async () => {
    await t?.close();
  });

  /**
   * A signed-in caller's session may end under the fuzzing (logout, a password change) and its account
   * may lock (wrong current passwords): then it signs in again, after the lock if need be.
   */
  async function ensureSession(who: 'citizen' | 'staff'): Promise<string> {
    const person = people[who]!;
    const me = await t.gql('{ me { id } }', {}, { token: person.token });
    if (me.data?.me) return person.token;
    let session = await signIn(t, person.nid, PASSWORD, person.email);
    if (session.__typename === 'AccountLocked') {
      t.clock.advance(Date.parse(session.lockedUntil) - t.clock.now().getTime() + 1_000);
      session = await signIn(t, person.nid, PASSWORD, person.email);
    }
    if (session.__typename !== 'SessionStarted')
      throw new Error(`${who} cannot sign in: ${JSON.stringify(session)}`);
    person.token = session.token;
    return person.token;
  }

  async function call(root: RootField, variables: Record<string, unknown>, who: Who) {
    serial += 1;
    const correlationId = `fuzz-${serial}`;
    const token = who === 'anonymous' ? null : await ensureSession(who);
    const response = await t.app.inject({
      method: 'POST',
      url: '/graphql',
      headers: {
        'content-type': 'application/json',
        ...correlationHeaders(correlationId),
        ...(token ? { authorization: `Bearer ${token}` } : {}),
      },
      payload: requestBody({ query: documentOf(t.app.graphql.schema, root, 3), variables }),
    });
    return { correlationId, status: response.statusCode, body: response.json() };
  }

  it('tags the events a request causes with its correlation id (the refusal check relies on it)', async () => {
    const before = await t.services.store.headPosition();
    const startLogin = rootFields(t.app.graphql.schema).find((f) => f.name === 'startLogin')!;
    const { correlationId } = await call(
      startLogin,
      { identifier: 'J00101999W', password: 'wrong' },
      'anonymous',
    );
    expect(await eventsTagged(t.services.store, before, correlationId)).not.toEqual([]);
  });

  it.each(fieldsToFuzz.map((f) => [`${f.on}.${f.name}`, f] as const))(
    '%s: no 500, no INTERNAL, and a refused input appends nothing',
    async (_name, listed) => {
      const root = rootFields(t.app.graphql.schema).find((f) => f.name === listed.name)!;
      // Each argument is left out now and then (a required one too: GraphQL must refuse it cleanly).
      const model = Object.fromEntries(root.field.args.map((a) => [a.name, valueFor(a.type)]));
      const required = root.field.args.filter((a) => isNonNullType(a.type)).map((a) => a.name);
      const args = fc.oneof(
        { weight: 9, arbitrary: fc.record(model, { requiredKeys: required }) },
        { weight: 1, arbitrary: fc.record(model, { requiredKeys: [] }) },
      );
      const examples = REGRESSIONS[root.name] ?? [];
      await fc.assert(
        fc.asyncProperty(
          args,
          fc.constantFrom<Who>('anonymous', 'citizen', 'staff'),
          async (variables, who) => {
            const before = await t.services.store.headPosition();
            const { correlationId, status, body } = await call(root, variables, who);
            expect(status).toBeLessThan(500);
            const codes = (body.errors ?? []).map(
              (e: { extensions?: { code?: string } }) => e.extensions?.code,
            );
            expect(codes, logged.at(-1)?.slice(0, 2000)).not.toContain('INTERNAL');
            const typename = body.data?.[root.name]?.__typename;
            const seen = outcomes.get(`${root.name} as ${who}`) ?? new Set<string>();
            for (const outcome of [...codes, ...(typename ? [typename] : [])]) seen.add(String(outcome));
            if (codes.length === 0 && !typename) seen.add('answered');
            outcomes.set(`${root.name} as ${who}`, seen);
            if (codes.includes('BAD_USER_INPUT') || REFUSALS.has(typename)) {
              expect(
                await eventsTagged(t.services.store, before, correlationId),
                `${typename ?? 'BAD_USER_INPUT'} appended events`,
              ).toEqual([]);
            }
          },
        ),
        { seed: SEED, numRuns: RUNS, examples, endOnFailure: true, reporter: briefly },
      );
    },
  );

  it('got past the access checks: every field answered the staff caller with more than UNAUTHENTICATED or FORBIDDEN', () => {
    // Proves the signed-in callers' sessions held (or were renewed) and their roles counted.
    const fuzzed = fieldsToFuzz.filter((f) => outcomes.has(`${f.name} as staff`));
    expect(fuzzed.length, 'run the whole file: this test reads what the others saw').toBe(
      fieldsToFuzz.length,
    );
    for (const field of fuzzed) {
      const staff = [...outcomes.get(`${field.name} as staff`)!];
      expect(
        staff.filter((o) => o !== 'UNAUTHENTICATED' && o !== 'FORBIDDEN'),
        `${field.name} as staff: ${staff.join(', ')}`,
      ).not.toEqual([]);
    }
  });
});
