import type { AddressInfo } from 'node:net';
import { auditServer } from 'graphql-http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/harness.js';

/**
 * The reference suite of the GraphQL-over-HTTP specification (graphql-http's auditServer), MUST,
 * SHOULD and MAY alike, against the real server listening on a loopback port, plus the refusals
 * the audit does not cover (bodies, media types, methods) sent as ordinary clients send them.
 */
describe('GraphQL over HTTP', () => {
  let t: TestApp;
  let url: string;
  beforeAll(async () => {
    t = await startTestApp();
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    url = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}/graphql`;
  });
  afterAll(async () => {
    await t?.close();
  });

  it('passes every audit of graphql-http (61 of 61)', async () => {
    const results = await auditServer({ url });
    const failed = results
      .filter((r) => r.status !== 'ok')
      .map((r) => `${r.id} ${r.name}: ${'reason' in r ? r.reason : ''}`);
    expect(failed).toEqual([]);
    expect(results).toHaveLength(61);
  });

  const post = (body: string | undefined, headers: Record<string, string> = {}) =>
    fetch(url, { method: 'POST', headers, ...(body === undefined ? {} : { body }) });
  const json = { 'content-type': 'application/json' };
  // biome-ignore lint/suspicious/noExplicitAny: answers are checked field by field.
  const bodyOf = async (response: Response): Promise<any> => response.json();

  it('answers a body that is not JSON with 400 in GraphQL shape, never INTERNAL', async () => {
    for (const body of ['{"query": "{ services { id } }"', 'not json', '{"query": "{ __typename }"}}']) {
      const response = await post(body, json);
      expect(response.status).toBe(400);
      expect(await response.json()).toEqual({
        errors: [{ message: 'The body is not valid JSON.', extensions: { code: 'BAD_REQUEST' } }],
      });
    }
  });

  it('refuses a media type it does not serve with 415 and a missing one with 400', async () => {
    const plain = await post('{"query": "{ __typename }"}', { 'content-type': 'text/plain' });
    expect(plain.status).toBe(415);
    expect((await bodyOf(plain)).errors[0].extensions.code).toBe('BAD_REQUEST');
    const form = await post('query=%7B__typename%7D', {
      'content-type': 'application/x-www-form-urlencoded',
    });
    expect(form.status).toBe(415);
    // fetch sends text/plain for a string body; a raw request without the header:
    const none = await fetch(url, { method: 'POST', body: new Blob(['{"query":"{ __typename }"}']) });
    expect(none.status).toBe(400);
    expect((await bodyOf(none)).errors[0].extensions.code).toBe('BAD_REQUEST');
  });

  it('answers a 20 MB body with a 413 the client reads while still sending', async () => {
    const body = JSON.stringify({ query: '{ __typename }', variables: { x: 'x'.repeat(20 * 1024 * 1024) } });
    const response = await post(body, json);
    expect(response.status).toBe(413);
    expect(await response.json()).toMatchObject({ errors: [{ extensions: { code: 'BAD_REQUEST' } }] });
    // The connection is still good for the next request.
    expect((await post('{"query": "{ __typename }"}', json)).status).toBe(200);
  });

  it.each([
    ['query: null', { query: null }],
    ['no query', {}],
    ['query a number', { query: 7 }],
    ['an array body', [{ query: '{ __typename }' }]],
    ['variables a string', { query: '{ __typename }', variables: 'x' }],
    ['persisted query', { extensions: { persistedQuery: { version: 1, sha256Hash: 'ab'.repeat(32) } } }],
  ])('answers a request it cannot run (%s) with 400 BAD_REQUEST', async (_name, body) => {
    const response = await post(JSON.stringify(body), json);
    expect(response.status).toBe(400);
    const answer = await bodyOf(response);
    expect(answer).not.toHaveProperty('data');
    expect(answer.errors).toEqual([{ message: expect.any(String), extensions: { code: 'BAD_REQUEST' } }]);
  });

  it('runs a query whose extensions are null or a persisted-query hash beside the query', async () => {
    for (const extensions of [null, { persistedQuery: { version: 1, sha256Hash: 'ab'.repeat(32) } }]) {
      const response = await post(JSON.stringify({ query: '{ __typename }', extensions }), json);
      expect(response.status).toBe(200);
      expect(await response.json()).toEqual({ data: { __typename: 'Query' } });
    }
  });

  it('serves both media types by Accept, with the status each asks for on a document error', async () => {
    const bad = JSON.stringify({ query: '{ nope }' });
    const asJson = await post(bad, { ...json, accept: 'application/json' });
    expect(asJson.status).toBe(200);
    expect(asJson.headers.get('content-type')).toBe('application/json; charset=utf-8');
    const asGraphql = await post(bad, { ...json, accept: 'application/graphql-response+json' });
    expect(asGraphql.status).toBe(400);
    expect(asGraphql.headers.get('content-type')).toBe('application/graphql-response+json; charset=utf-8');
    expect(await asGraphql.json()).not.toHaveProperty('data');
  });

  it('runs queries by GET and refuses mutations there with 405 and Allow: POST', async () => {
    const query = new URL(url);
    query.searchParams.set('query', '{ __typename }');
    expect((await fetch(query)).status).toBe(200);
    const mutation = new URL(url);
    mutation.searchParams.set('query', 'mutation { logout }');
    const refused = await fetch(mutation);
    expect(refused.status).toBe(405);
    expect(refused.headers.get('allow')).toBe('POST');
    expect((await bodyOf(refused)).errors[0].extensions.code).toBe('BAD_REQUEST');
    const put = await fetch(url, { method: 'PUT', headers: json, body: '{}' });
    expect(put.status).toBe(405);
  });

  it('answers the other routes in the contract shape, an unknown one with 404', async () => {
    const base = url.replace('/graphql', '');
    const unknown = await fetch(`${base}/no/such/route`);
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toEqual({ error: 'NOT_FOUND', message: expect.any(String) });
    const malformed = await fetch(`${base}/dev/clock/advance`, {
      method: 'POST',
      headers: json,
      body: '{"ms":',
    });
    expect(malformed.status).toBe(400);
    expect(await malformed.json()).toEqual({ error: 'BAD_REQUEST', message: 'The body is not valid JSON.' });
    const wrongType = await fetch(`${base}/dev/clock/advance`, {
      method: 'POST',
      headers: { 'content-type': 'application/xml' },
      body: '<ms>1</ms>',
    });
    expect(wrongType.status).toBe(415);
    expect((await bodyOf(wrongType)).error).toBe('UNSUPPORTED_MEDIA_TYPE');
  });
});
