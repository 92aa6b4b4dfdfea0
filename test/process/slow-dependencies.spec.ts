import { rmSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readLog } from './support/log-checks.js';
import {
  addCitizen,
  COMPLETE_LOGIN,
  codeFor,
  codeOf,
  gql,
  PASSWORD,
  REGISTER_CITIZEN,
  START_LOGIN,
} from './support/portal-client.js';
import { type ServerProcess, startServer } from './support/server-process.js';

/** A TCP server that accepts every connection and never says a word (an SMTP or HTTP server stalled). */
async function silentServer(): Promise<{ url: (scheme: string) => string; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on('error', () => {});
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as { port: number };
  return {
    url: (scheme) => `${scheme}://127.0.0.1:${port}`,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((done) => server.close(() => done()));
    },
  };
}

const FAST = {
  ARGON2_MEMORY_KIB: '1024',
  ARGON2_TIME_COST: '1',
  LIMIT_REQUESTS_PER_IP_PER_MINUTE: '1000000',
};

describe('slow or silent dependencies', () => {
  let silent: Awaited<ReturnType<typeof silentServer>>;
  const servers: ServerProcess[] = [];
  beforeAll(async () => {
    silent = await silentServer();
  });
  afterAll(async () => {
    for (const server of servers) {
      await server.stop('SIGKILL');
      rmSync(server.dataDir, { recursive: true, force: true });
    }
    await silent?.close();
  });

  it('a registry that never answers: registration answers UNAVAILABLE within its timeout, and writes nothing', async () => {
    const server = await startServer({ ...FAST, REGISTRY_URL: silent.url('http') });
    servers.push(server);
    const input = {
      nid: 'J00101999W',
      idCardNumber: '012345678',
      email: 'arben@example.al',
      phone: '+355691234567',
      password: PASSWORD,
      securityQuestion: 'Qyteti?',
      securityAnswer: 'Berat',
    };
    const reply = await gql(server.url, REGISTER_CITIZEN, { input }, undefined, 'registry-silent');
    expect(codeOf(reply)).toBe('UNAVAILABLE');
    expect(reply.body.errors?.[0]?.message).toMatch(/registry/i);
    expect(await server.stop('SIGTERM')).toBe(0);
    expect(readLog(server.dataDir).eventsOfRequest('registry-silent')).toBe(0);
  });

  it('an SMTP server that stalls: registration and sign-in still answer, the SMS code works meanwhile', async () => {
    // E-mail to the silent server (nodemailer waits for its greeting); SMS to the dev outbox.
    const server = await startServer({ ...FAST, SMTP_URL: silent.url('smtp') });
    servers.push(server);
    const urls = [server.url];
    const citizen = await addCitizen(urls);
    // Only the SMS reaches the outbox: the code is read by phone.
    const sent = await gql(server.url, REGISTER_CITIZEN, {
      input: { ...citizen, password: PASSWORD, securityQuestion: 'Qyteti?', securityAnswer: 'Berat' },
    });
    expect(sent.body.data.registerCitizen.__typename).toBe('OtpSent');
    const confirmed = await gql(
      server.url,
      'mutation($challengeId: ID!, $code: String!) { confirmRegistration(challengeId: $challengeId, code: $code) { __typename } }',
      { challengeId: sent.body.data.registerCitizen.challengeId, code: await codeFor(urls, citizen.phone) },
    );
    expect(confirmed.body.data.confirmRegistration.__typename).toBe('SessionStarted');
    const started = await gql(server.url, START_LOGIN, { identifier: citizen.nid, password: PASSWORD });
    expect(started.body.data.startLogin.__typename).toBe('OtpSent');
    const done = await gql(server.url, COMPLETE_LOGIN, {
      challengeId: started.body.data.startLogin.challengeId,
      code: await codeFor(urls, citizen.phone),
    });
    expect(done.body.data.completeLogin.__typename).toBe('SessionStarted');
    // The e-mail never went out (the server still stalls): nothing of it reached the outbox.
    await expect(codeFor(urls, citizen.email)).rejects.toThrow();
  });
});
