import { afterEach, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/harness.js';

describe('GraphiQL', () => {
  let t: TestApp | undefined;
  afterEach(async () => {
    await t?.close();
    t = undefined;
  });

  it('is served whole from the installed packages, with its own policy (works offline)', async () => {
    t = await startTestApp();
    const page = await t.app.inject({ method: 'GET', url: '/graphiql' });
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toMatch(/^text\/html/);
    const csp = String(page.headers['content-security-policy']);
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toMatch(/https?:/);
    // Nothing from another host: every script and style comes from this server.
    expect(page.body).not.toMatch(/(src|href)="(https?:)?\/\//);
    const assets = [...page.body.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1]!);
    expect(assets).toEqual([
      '/graphiql/graphiql.css',
      '/graphiql/react.js',
      '/graphiql/react-dom.js',
      '/graphiql/graphiql.js',
      '/graphiql/boot.js',
    ]);
    for (const asset of assets) {
      const file = await t.app.inject({ method: 'GET', url: asset });
      expect(file.statusCode, asset).toBe(200);
      expect(file.body.length, asset).toBeGreaterThan(100);
    }
    const boot = (await t.app.inject({ method: 'GET', url: '/graphiql/boot.js' })).body;
    expect(boot).toContain("url: '/graphql'");
    expect(boot).toContain('isHeadersEditorEnabled: true');
    expect(boot).toContain('Authorization');
    expect((await t.app.inject({ method: 'GET', url: '/graphiql/package.json' })).statusCode).toBe(404);
  });

  it('is not served in production', async () => {
    t = await startTestApp({
      NODE_ENV: 'production',
      DEV_TOOLS: '0',
      REGISTRY_URL: 'http://127.0.0.1:9',
      ARGON2_MEMORY_KIB: '19456',
      ARGON2_TIME_COST: '2',
    });
    expect((await t.app.inject({ method: 'GET', url: '/graphiql' })).statusCode).toBe(404);
    expect((await t.app.inject({ method: 'GET', url: '/graphiql/graphiql.js' })).statusCode).toBe(404);
  });
});
