import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Fastify from 'fastify';
import { afterAll, describe, expect, it } from 'vitest';
import { portalRoutes } from '../../src/api/portal-routes.js';

describe('portal routes: the built portal at /, nothing else', () => {
  const root = mkdtempSync(join(tmpdir(), 'portal-web-'));
  const build = join(root, 'web');
  mkdirSync(join(build, 'assets'), { recursive: true });
  writeFileSync(join(build, 'index.html'), '<!doctype html><title>portal</title>');
  writeFileSync(join(build, 'assets', 'index-abc123.js'), 'console.log(1)');
  writeFileSync(join(build, 'favicon.svg'), '<svg/>');
  writeFileSync(join(root, 'secret.txt'), 'outside the build');
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  async function app(dir: string) {
    const server = Fastify();
    await server.register(async (scope) => portalRoutes(scope, dir));
    return server;
  }

  it('serves the page at / (asked for anew each time) and hashed assets for a year', async () => {
    const server = await app(build);
    const page = await server.inject('/');
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(page.headers['cache-control']).toBe('no-cache');
    expect(page.body).toContain('<title>portal</title>');
    const script = await server.inject('/assets/index-abc123.js');
    expect(script.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(script.headers['cache-control']).toContain('immutable');
    expect((await server.inject('/favicon.svg')).headers['content-type']).toBe('image/svg+xml');
  });

  it('answers nothing outside the build: other paths stay the API not-found handler', async () => {
    const server = await app(build);
    for (const url of [
      '/index.html',
      '/../secret.txt',
      '/assets/../../secret.txt',
      '/assets/other.js',
      '/sign-in',
    ])
      expect((await server.inject(url)).statusCode, url).toBe(404);
  });

  it('adds no route when there is no build', async () => {
    const server = await app(join(root, 'missing'));
    expect((await server.inject('/')).statusCode).toBe(404);
  });
});
