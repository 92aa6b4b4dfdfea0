import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readLog } from './support/log-checks.js';
import {
  addCitizen,
  COMPLETE_LOGIN,
  codeFor,
  codeOf,
  gql,
  LOGOUT,
  ME,
  PASSWORD,
  pdfBytes,
  register,
  START_LOGIN,
  upload,
} from './support/portal-client.js';
import { type RedisProcess, startRedis } from './support/redis-process.js';
import { type ServerProcess, startServer } from './support/server-process.js';

/**
 * Redis (the test's own, on a free port) goes away under a running process and comes back: what
 * needs it answers UNAVAILABLE, never a 500 and never "no session"/"no limit"; an ended session stays
 * ended; the process recovers by itself.
 */
describe('Redis goes away and comes back', () => {
  let redis: RedisProcess;
  let server: ServerProcess;
  beforeAll(async () => {
    redis = await startRedis({ persistent: true });
    server = await startServer({
      REDIS_URL: redis.url,
      ARGON2_MEMORY_KIB: '1024',
      ARGON2_TIME_COST: '1',
      LIMIT_REQUESTS_PER_IP_PER_MINUTE: '1000000',
    });
  });
  afterAll(async () => {
    await server?.stop('SIGKILL');
    await redis?.remove();
    if (server) rmSync(server.dataDir, { recursive: true, force: true });
  });

  async function signIn(nid: string, email: string): Promise<string> {
    const started = await gql(server.url, START_LOGIN, { identifier: nid, password: PASSWORD });
    const challengeId = started.body.data.startLogin.challengeId;
    const done = await gql(server.url, COMPLETE_LOGIN, {
      challengeId,
      code: await codeFor([server.url], email),
    });
    return done.body.data.completeLogin.token as string;
  }

  it('answers UNAVAILABLE while it is down, accepts no ended session, and recovers without a restart', async () => {
    const urls = [server.url];
    const citizen = await addCitizen(urls);
    const ended = await register(server.url, urls, citizen);
    const open = await signIn(citizen.nid, citizen.email);
    expect((await gql(server.url, LOGOUT, {}, ended)).body.data.logout).toBe(true);
    expect((await gql(server.url, ME, {}, ended)).body.data.me).toBeNull();
    expect((await gql(server.url, ME, {}, open)).body.data.me.identifier).toBe(citizen.nid);

    await redis.stop();
    const replies = {
      openSession: await gql(server.url, ME, {}, open),
      endedSession: await gql(server.url, ME, {}, ended),
      // The sign-in limit cannot count: refused before any password is judged (fails closed).
      signIn: await gql(
        server.url,
        START_LOGIN,
        { identifier: citizen.nid, password: 'a-wrong-password-9' },
        undefined,
        'redis-down-sign-in',
      ),
      logout: await gql(server.url, LOGOUT, {}, open),
    };
    for (const [name, reply] of Object.entries(replies)) {
      expect(codeOf(reply), name).toBe('UNAVAILABLE');
      expect([200, 503], name).toContain(reply.status);
      expect(reply.body.data?.me ?? null, name).toBeNull();
    }
    const uploaded = await upload(server.url, open, pdfBytes());
    expect(uploaded).toMatchObject({ status: 503, body: { error: 'UNAVAILABLE' } });
    // The log keeps working: /health stays 200 (the store answers).
    expect((await fetch(`${server.url}/health`)).status).toBe(200);
    expect((await fetch(`${server.url}/ready`)).status).toBe(503);

    await redis.start();
    // Recovers by itself (ioredis reconnects): the open session is open again, the ended one stays
    // ended (the stream says so, whatever Redis holds), the logout refused while down did not happen.
    await expect
      .poll(async () => (await gql(server.url, ME, {}, open)).body.data?.me?.identifier, { timeout: 15_000 })
      .toBe(citizen.nid);
    expect((await gql(server.url, ME, {}, ended)).body.data.me).toBeNull();
    expect((await fetch(`${server.url}/ready`)).status).toBe(200);
    const again = await signIn(citizen.nid, citizen.email);
    expect((await gql(server.url, ME, {}, again)).body.data.me.identifier).toBe(citizen.nid);

    expect(await server.stop('SIGTERM')).toBe(0);
    // The refused sign-in changed nothing: no failure was counted for a password never judged.
    expect(readLog(server.dataDir).eventsOfRequest('redis-down-sign-in')).toBe(0);
    expect(server.output()).not.toContain('unexpected error');
  });
});
