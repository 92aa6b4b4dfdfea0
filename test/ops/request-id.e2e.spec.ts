import { Writable } from 'node:stream';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requestIdMixin } from '../../src/infra/log-context.js';
import { freshNid, registeredPerson, START_LOGIN } from '../account/flows.js';
import { startTestApp, type TestApp } from '../support/harness.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

const AUDIT_BY_REQUEST = `query($id: String!) { auditLog(filter: { correlationId: $id }, purpose: "request trace") {
  edges { node { type stream correlationId } } } }`;

/**
 * The request id from the caller's header to the answer, every log line of the request, the events it
 * caused, and the audit log (filtered by it) and back.
 */
describe('request ids', () => {
  let t: TestApp;
  const lines: Array<Record<string, unknown>> = [];
  let auditorToken: string;

  beforeAll(async () => {
    const stream = new Writable({
      write(chunk, _encoding, done) {
        for (const line of chunk.toString().split('\n')) if (line) lines.push(JSON.parse(line));
        done();
      },
    });
    // fastify's request log and the application's own log (as main.ts builds it) into one stream.
    t = await startTestApp(
      {},
      {
        logger: { level: 'info', stream },
        overrides: () => ({ log: pino({ level: 'info', mixin: requestIdMixin }, stream) }),
      },
    );
    const auditor = await registeredPerson(t);
    await t.app.inject({
      method: 'POST',
      url: '/dev/roles',
      payload: { identifier: auditor.nid, role: 'AUDITOR' },
    });
    auditorToken = auditor.token;
  });
  afterAll(async () => {
    await t?.close();
  });

  // A new identifier each time, so that no lock changes what a wrong password appends (one rejection).
  const wrongSignIn = (headers: Record<string, string>) =>
    t.app.inject({
      method: 'POST',
      url: '/graphql',
      headers: { 'content-type': 'application/json', ...headers },
      payload: { query: START_LOGIN, variables: { identifier: freshNid(), password: 'a-wrong-password-9' } },
    });

  const eventsOf = async (id: string) =>
    (await t.services.store.readAll()).filter((event) => event.metadata.correlationId === id);

  it('a well-formed x-request-id comes back, is on every log line of the request and in the metadata of its events', async () => {
    const id = 'trace-2026.12.04_abc-1';
    const response = await wrongSignIn({ 'x-request-id': id });
    expect(response.headers['x-request-id']).toBe(id);
    const events = await eventsOf(id);
    expect(events.map((event) => event.type)).toEqual(['PasswordRejected']);
    const ofRequest = lines.filter((line) => line.requestId === id);
    // One line for the request: its root field, outcome, duration; nothing of the request without the id.
    expect(ofRequest).toHaveLength(1);
    expect(ofRequest[0]).toMatchObject({
      msg: 'request',
      roots: ['Mutation.startLogin'],
      outcome: 'LoginRejected',
      status: 200,
      path: '/graphql',
    });
    expect(typeof ofRequest[0]!.durationMs).toBe('number');
  });

  it('an ill-formed x-request-id is replaced by a new one, used everywhere alike', async () => {
    for (const offered of ['x'.repeat(65), '<script>', 'two words', '']) {
      const response = await wrongSignIn({ 'x-request-id': offered });
      const given = String(response.headers['x-request-id']);
      expect(given).toMatch(UUID);
      expect((await eventsOf(given)).length).toBe(1);
      expect(lines.filter((line) => line.requestId === given)).toHaveLength(1);
    }
    const all = await t.services.store.readAll();
    expect(all.some((event) => String(event.metadata.correlationId).includes('script'))).toBe(false);
  });

  it('x-correlation-id is still taken when no x-request-id is sent, and never over it', async () => {
    const alone = await wrongSignIn({ 'x-correlation-id': 'older-header-1' });
    expect(alone.headers['x-request-id']).toBe('older-header-1');
    expect((await eventsOf('older-header-1')).length).toBe(1);
    const both = await wrongSignIn({
      'x-correlation-id': 'older-header-2',
      'x-request-id': 'newer-header-2',
    });
    expect(both.headers['x-request-id']).toBe('newer-header-2');
    expect(await eventsOf('older-header-2')).toEqual([]);
  });

  it('every answer carries one, routes outside GraphQL and refusals too', async () => {
    for (const url of ['/health', '/ready', '/no-such-route']) {
      const response = await t.app.inject({ method: 'GET', url });
      expect(String(response.headers['x-request-id'])).toMatch(UUID);
    }
  });

  it('the application’s own warnings and errors carry the request id of the request they belong to', async () => {
    // A reading that cannot be recorded is refused, and the use case logs an error (data-access-recorder.ts).
    const store = t.services.store;
    const append = store.append;
    store.append = (stream, events, expected) =>
      stream.startsWith('data-access-')
        ? Promise.reject(new Error('disk full'))
        : append(stream, events, expected);
    try {
      const id = 'refused-reading-1';
      const refused = await t.gql(
        `query { auditLog(filter: { identifier: "J00101999W" }, purpose: "check") { edges { node { type } } } }`,
        {},
        { token: auditorToken, headers: { 'x-request-id': id } },
      );
      expect(refused.errors?.[0]?.extensions?.code).toBe('UNAVAILABLE');
      const appLine = lines.find((line) => line.msg === 'data access not recorded: reading refused');
      expect(appLine?.requestId).toBe(id);
    } finally {
      store.append = append;
    }
  });

  it('auditLog shows the request id of each event and filters by it: from the log line to the events', async () => {
    const id = 'audit-trace-7';
    await wrongSignIn({ 'x-request-id': id });
    const answer = await t.gql(AUDIT_BY_REQUEST, { id }, { token: auditorToken });
    expect(answer.errors).toBeUndefined();
    const nodes = answer.data.auditLog.edges.map((edge: { node: unknown }) => edge.node);
    expect(nodes).toEqual([{ type: 'PasswordRejected', stream: expect.any(String), correlationId: id }]);
    const refused = await t.gql(AUDIT_BY_REQUEST, { id: 'not a request id' }, { token: auditorToken });
    expect(refused.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });
});
