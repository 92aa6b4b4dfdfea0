import { rmSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { type ServerProcess, startServer } from './support/server-process.js';

describe('the built server as a process', () => {
  let server: ServerProcess | undefined;
  afterAll(async () => {
    await server?.stop('SIGKILL');
    if (server) rmSync(server.dataDir, { recursive: true, force: true });
  });

  it('starts from dist/, answers /health and GraphQL, and exits 0 on SIGTERM', async () => {
    server = await startServer();
    expect((await fetch(`${server.url}/health`)).status).toBe(200);
    const answer = await fetch(`${server.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ __typename }' }),
    });
    expect(await answer.json()).toEqual({ data: { __typename: 'Query' } });
    expect(await server.stop('SIGTERM')).toBe(0);
  });
});
