import { Writable } from 'node:stream';
import { getIntrospectionQuery } from 'graphql';
import { afterEach, describe, expect, it } from 'vitest';
import { MAX_FIELDS, MAX_INTROSPECTION_DEPTH, MAX_ROOT_FIELDS } from '../../src/api/query-cost.js';
import { START_LOGIN } from '../account/flows.js';
import { startTestApp, type TestApp } from '../support/harness.js';

const production = {
  NODE_ENV: 'production',
  DEV_TOOLS: '0',
  REGISTRY_URL: 'http://127.0.0.1:9',
  ARGON2_MEMORY_KIB: '19456',
  ARGON2_TIME_COST: '2',
  // Production starts only with real senders (never reached in these tests).
  SMTP_URL: 'smtp://127.0.0.1:9',
  TWILIO_ACCOUNT_SID: 'AC-test',
  TWILIO_AUTH_TOKEN: 'twilio-test-token',
  TWILIO_FROM: '+355690000000',
};

describe('GraphQL limits', () => {
  let t: TestApp;
  afterEach(async () => {
    await t?.close();
  });

  it('refuses a request that repeats a field through aliases, before running it', async () => {
    t = await startTestApp();
    const aliases = Array.from(
      { length: 5 },
      (_, i) => `a${i}: services { id name nameSq nameEn institution }`,
    );
    const fine = await t.gql(`{ ${aliases.join(' ')} }`);
    expect(fine.errors).toBeUndefined();
    const many = Array.from({ length: MAX_ROOT_FIELDS + 1 }, (_, i) => `a${i}: services { id }`);
    const refused = await t.gql(`{ ${many.join(' ')} }`);
    // Refused before execution: no data entry at all (GraphQL over HTTP).
    expect(refused).not.toHaveProperty('data');
    expect(refused.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    // Fewer roots, but fields multiplied through a fragment spread many times.
    const spreads = Array.from({ length: 10 }, (_, i) => `b${i}: services { ...S }`).join(' ');
    const fields = Array.from({ length: 50 }, (_, i) => `f${i}: id`).join(' ');
    const viaFragment = await t.gql(`{ ${spreads} } fragment S on Service { ${fields} }`);
    expect(viaFragment.errors?.[0]?.message).toContain(String(MAX_FIELDS));
  });

  it('answers the standard introspection query, and bounds introspection by its own depth', async () => {
    t = await startTestApp();
    // What GraphiQL, GraphQL Code Generator and Apollo's tooling send (its ofType chain is 15 deep).
    const standard = await t.gql(getIntrospectionQuery());
    expect(standard.errors).toBeUndefined();
    expect(standard.data.__schema.queryType.name).toBe('Query');
    const nestedTo = (depth: number) => {
      let selection = 'name';
      for (let i = 0; i < depth; i++) selection = `ofType { ${selection} }`;
      return `{ __schema { types { ${selection} } } }`;
    };
    // __schema and types are two levels, the innermost name one more.
    expect((await t.gql(nestedTo(MAX_INTROSPECTION_DEPTH - 3))).errors).toBeUndefined();
    const tooDeep = await t.gql(nestedTo(MAX_INTROSPECTION_DEPTH));
    expect(tooDeep).not.toHaveProperty('data');
    expect(tooDeep.errors?.[0]?.message).toContain(String(MAX_INTROSPECTION_DEPTH));
    expect(tooDeep.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });

  it('answers introspection in development and refuses it in production', async () => {
    t = await startTestApp();
    expect((await t.gql('{ __schema { queryType { name } } }')).data.__schema.queryType.name).toBe('Query');
    await t.close();
    t = await startTestApp(production);
    const refused = await t.gql('{ __schema { queryType { name } } }');
    expect(refused).not.toHaveProperty('data');
    expect(refused.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect((await t.gql(getIntrospectionQuery())).errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });

  it('names the fields it guessed in development only ("Did you mean"), since they reveal the schema', async () => {
    const typo = '{ servics { id } }';
    t = await startTestApp();
    const development = await t.gql(typo);
    expect(development.errors?.[0]?.message).toMatch(/Did you mean "services"\?/);
    await t.close();
    t = await startTestApp(production);
    const answered = await t.gql(typo);
    expect(answered.errors?.[0]?.message).toBe('Cannot query field "servics" on type "Query".');
    expect(JSON.stringify(answered)).not.toContain('Did you mean');
  });
});

describe('client address and correlation id', () => {
  let t: TestApp;
  afterEach(async () => {
    await t?.close();
  });

  // Three different people, so that no lock (three failures on one identifier) gets in the way.
  const people = ['J00101999W', 'J05515001C', 'I80715002N'];
  const attempt = (i: number) =>
    t.gql(
      START_LOGIN,
      { identifier: people[i], password: 'wrong-password-1' },
      { headers: { 'x-forwarded-for': `10.9.${i}.1` } },
    );

  it('does not let a client choose its address through X-Forwarded-For by default', async () => {
    t = await startTestApp({ LIMIT_SIGNIN_PER_IP_PER_MINUTE: '2' });
    const answers = [];
    for (let i = 0; i < 3; i++) answers.push((await attempt(i)).data.startLogin.__typename);
    expect(answers).toEqual(['LoginRejected', 'LoginRejected', 'RateLimited']);
    const ips = (await t.services.store.readAll()).map((e) => e.metadata.ip).filter(Boolean);
    expect(ips.every((ip) => ip === '127.0.0.1')).toBe(true);
  });

  it('takes the forwarded address from a trusted proxy', async () => {
    t = await startTestApp({ LIMIT_SIGNIN_PER_IP_PER_MINUTE: '2', TRUST_PROXY: '1' });
    const answers = [];
    for (let i = 0; i < 3; i++) answers.push((await attempt(i)).data.startLogin.__typename);
    expect(answers).toEqual(['LoginRejected', 'LoginRejected', 'LoginRejected']);
  });

  it('records a plain correlation id and replaces anything else', async () => {
    t = await startTestApp();
    const send = (id: string) =>
      t.gql(
        START_LOGIN,
        { identifier: 'J00101999W', password: 'wrong-password-1' },
        { headers: { 'x-correlation-id': id } },
      );
    await send('req-123.abc_DEF');
    await send('x'.repeat(5000));
    await send('<script>alert(1)</script>');
    const ids = (await t.services.store.readAll()).map((e) => String(e.metadata.correlationId));
    expect(ids).toContain('req-123.abc_DEF');
    expect(ids.every((id) => id.length <= 64 && /^[A-Za-z0-9._-]+$/.test(id))).toBe(true);
  });
});

describe('request log', () => {
  it('keeps paths, never query strings or credentials', async () => {
    const lines: string[] = [];
    const stream = new Writable({
      write(chunk, _encoding, done) {
        lines.push(chunk.toString());
        done();
      },
    });
    const t = await startTestApp({}, { logger: { level: 'info', stream } });
    try {
      await t.app.inject({ method: 'GET', url: '/documents/abc?trackingCode=TC-SECRET-CODE-1' });
      await t.app.inject({
        method: 'GET',
        url: '/graphql?query=%7B%20applicationByTrackingCode(trackingCode%3A%22TC-SECRET-CODE-2%22)%20%7B%20id%20%7D%20%7D',
        headers: {
          authorization: 'Bearer secret-token-value-0123456789',
          cookie: 'portal_session=secret-cookie',
        },
      });
      const log = lines.join('');
      expect(log).toContain('/documents/abc');
      for (const secret of ['TC-SECRET-CODE-1', 'TC-SECRET-CODE-2', 'secret-token-value', 'secret-cookie'])
        expect(log).not.toContain(secret);
    } finally {
      await t.close();
    }
  });
});
