import type { AddressInfo } from 'node:net';
import { createClient } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { MAX_ROOT_FIELDS } from '../../src/api/query-cost.js';
import { startTestApp, type TestApp } from '../support/harness.js';

/** What the server answers one subscription over graphql-transport-ws: its error messages. */
async function errorsOf(url: string, query: string): Promise<string[]> {
  const client = createClient({ url, webSocketImpl: WebSocket, lazy: true, retryAttempts: 0 });
  try {
    return await new Promise<string[]>((resolve) => {
      client.subscribe(
        { query, variables: { id: 'app-1' } },
        {
          next: (value) => resolve((value.errors ?? []).map((e) => e.message)),
          error: (error) =>
            resolve(
              Array.isArray(error) ? error.map((e: { message: string }) => e.message) : [String(error)],
            ),
          complete: () => resolve([]),
        },
      );
    });
  } finally {
    await client.dispose();
  }
}

describe('subscriptions over the websocket are validated like requests', () => {
  let t: TestApp;
  let url: string;
  beforeAll(async () => {
    t = await startTestApp();
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    url = `ws://127.0.0.1:${(t.app.server.address() as AddressInfo).port}/graphql`;
  });
  afterAll(async () => {
    await t?.close();
  });

  it('refuses an unknown field and a document over the limits before subscribing', async () => {
    const unknown = await errorsOf(url, 'subscription($id: ID!) { applicationUpdated(id: $id) { nope } }');
    expect(unknown.join(' ')).toContain('Cannot query field "nope"');
    const fields = Array.from({ length: MAX_ROOT_FIELDS * 25 }, (_, i) => `f${i}: id`).join(' ');
    const tooMany = await errorsOf(
      url,
      `subscription($id: ID!) { applicationUpdated(id: $id) { ${fields} } }`,
    );
    expect(tooMany.join(' ')).toContain('at most');
  });
});
