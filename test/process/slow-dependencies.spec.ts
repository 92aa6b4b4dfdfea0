import { rmSync } from 'node:fs';
import { connect, createServer, type Server, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLoopbackTwilio } from '../support/loopback-twilio.js';
import { startLoopbackSmtp } from '../support/smtp-server.js';
import { eventsOfType, readLog } from './support/log-checks.js';
import {
  addCitizen,
  COMPLETE_LOGIN,
  CONFIRM,
  codeFor,
  codeOf,
  gql,
  PASSWORD,
  REGISTER_CITIZEN,
  START_LOGIN,
} from './support/portal-client.js';
import { type ServerProcess, startServer } from './support/server-process.js';

interface Delivery {
  challengeId: string;
  channel: 'SMS' | 'EMAIL';
  attempt: number;
  retryable?: boolean;
}

async function until(condition: () => boolean, timeoutMs = 15_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > end) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 25));
  }
}

/**
 * A TCP proxy to a real SMTP server that, until lifted, holds every connection silent (the mail
 * server stalled); after lift() new connections pass through.
 */
async function stallingProxy(targetPort: number) {
  const sockets = new Set<Socket>();
  let stalled = true;
  let held = 0;
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on('error', () => {});
    socket.on('close', () => sockets.delete(socket));
    if (stalled) {
      held += 1;
      return;
    }
    const upstream = connect(targetPort, '127.0.0.1');
    upstream.on('error', () => socket.destroy());
    socket.pipe(upstream).pipe(socket);
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as { port: number };
  return {
    url: `smtp://127.0.0.1:${port}`,
    get held() {
      return held;
    },
    lift() {
      stalled = false;
    },
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((done) => server.close(() => done()));
    },
  };
}

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

  it('an SMTP server that stalls: registration and sign-in answer, their SMS codes work meanwhile, and the e-mails go out once it recovers', async () => {
    const smtp = await startLoopbackSmtp();
    const stall = await stallingProxy(smtp.port);
    const server = await startServer({
      ...FAST,
      SMTP_URL: stall.url,
      DELIVERY_TIMEOUT_MS: '500',
      // Ten retries, about ten seconds: room for a loaded machine before the test lifts the stall.
      DELIVERY_RETRY_DELAYS_MS: '500,500,500,500,500,500,500,500,500,500',
    });
    servers.push(server);
    try {
      const urls = [server.url];
      const citizen = await addCitizen(urls);
      const sent = await gql(server.url, REGISTER_CITIZEN, {
        input: { ...citizen, password: PASSWORD, securityQuestion: 'Qyteti?', securityAnswer: 'Berat' },
      });
      expect(sent.body.data.registerCitizen.__typename).toBe('OtpSent');
      // The SMS (dev outbox) carries the code while the mail server holds every connection silent.
      const confirmed = await gql(server.url, CONFIRM, {
        challengeId: sent.body.data.registerCitizen.challengeId,
        code: await codeFor(urls, citizen.phone),
      });
      expect(confirmed.body.data.confirmRegistration.__typename).toBe('SessionStarted');
      await until(() => stall.held >= 1);
      // A sign-in while the stall lasts: startLogin answers without waiting for its e-mail (none has
      // gone out when it answers), and the code the SMS carries completes it.
      const login = await gql(server.url, START_LOGIN, { identifier: citizen.nid, password: PASSWORD });
      expect(login.body.data.startLogin.__typename).toBe('OtpSent');
      expect(smtp.received).toHaveLength(0);
      const session = await gql(server.url, COMPLETE_LOGIN, {
        challengeId: login.body.data.startLogin.challengeId,
        code: await codeFor(urls, citizen.phone),
      });
      expect(session.body.data.completeLogin.__typename).toBe('SessionStarted');
      await new Promise((r) => setTimeout(r, 700)); // past one attempt's timeout
      expect(smtp.received).toHaveLength(0);
      stall.lift();
      const toCitizen = () => smtp.received.filter((mail) => mail.to.includes(citizen.email));
      await until(() => toCitizen().length === 2);
      expect(await server.stop('SIGTERM')).toBe(0);
      const email = (type: string) =>
        eventsOfType<Delivery>(server.dataDir, type).filter((e) => e.channel === 'EMAIL');
      const failed = email('OtpDeliveryFailed');
      const delivered = email('OtpDelivered');
      expect(failed.length).toBeGreaterThanOrEqual(2);
      expect(failed.every((e) => e.retryable)).toBe(true);
      // Each code's e-mail (registration, sign-in) delivered once, on the attempt after its failures.
      expect(delivered.map((e) => e.challengeId).sort()).toEqual(
        [sent.body.data.registerCitizen.challengeId, login.body.data.startLogin.challengeId].sort(),
      );
      for (const done of delivered)
        expect(done.attempt).toBe(failed.filter((e) => e.challengeId === done.challengeId).length + 1);
    } finally {
      await stall.close();
      await smtp.close();
    }
  });

  it('a Twilio endpoint that answers 500 and then recovers: the SMS goes out on a retry, and retries stop after a bounded number', async () => {
    const twilio = await startLoopbackTwilio();
    const server = await startServer({
      ...FAST,
      TWILIO_ACCOUNT_SID: 'ACloopback00000000000000000000000',
      TWILIO_AUTH_TOKEN: 'loopback-token',
      TWILIO_FROM: '+15005550006',
      TWILIO_API_URL: twilio.url,
      DELIVERY_RETRY_DELAYS_MS: '300,300,300',
    });
    servers.push(server);
    try {
      const urls = [server.url];
      const citizen = await addCitizen(urls);
      const toPhone = () => twilio.received.filter((sms) => sms.to === citizen.phone);
      // Down for the first two attempts, up from the third.
      twilio.answerWith(201, [500, 500]);
      const sent = await gql(server.url, REGISTER_CITIZEN, {
        input: { ...citizen, password: PASSWORD, securityQuestion: 'Qyteti?', securityAnswer: 'Berat' },
      });
      expect(sent.body.data.registerCitizen.__typename).toBe('OtpSent');
      await until(() => toPhone().some((sms) => sms.status === 201));
      expect(toPhone().map((sms) => sms.status)).toEqual([500, 500, 201]);
      const code = toPhone()
        .at(-1)!
        .body.match(/\b(\d{6})\b/)?.[1];
      expect(code).toBe(await codeFor(urls, citizen.email));
      const confirmed = await gql(server.url, CONFIRM, {
        challengeId: sent.body.data.registerCitizen.challengeId,
        code,
      });
      expect(confirmed.body.data.confirmRegistration.__typename).toBe('SessionStarted');

      // Down for good: the first try and three retries, then no more.
      twilio.answerWith(503);
      const before = toPhone().length;
      const started = await gql(server.url, START_LOGIN, { identifier: citizen.nid, password: PASSWORD });
      expect(started.body.data.startLogin.__typename).toBe('OtpSent');
      await until(() => toPhone().length >= before + 4);
      await new Promise((r) => setTimeout(r, 1_200)); // four times the last pause: nothing more comes
      expect(toPhone().length).toBe(before + 4);
      // The person signs in with the e-mail copy meanwhile.
      const done = await gql(server.url, COMPLETE_LOGIN, {
        challengeId: started.body.data.startLogin.challengeId,
        code: await codeFor(urls, citizen.email),
      });
      expect(done.body.data.completeLogin.__typename).toBe('SessionStarted');

      expect(await server.stop('SIGTERM')).toBe(0);
      const sms = (type: string, challengeId: string) =>
        eventsOfType<Delivery>(server.dataDir, type).filter(
          (e) => e.channel === 'SMS' && e.challengeId === challengeId,
        );
      const registration = sent.body.data.registerCitizen.challengeId as string;
      expect(sms('OtpDeliveryFailed', registration).map((e) => [e.attempt, e.retryable])).toEqual([
        [1, true],
        [2, true],
      ]);
      expect(sms('OtpDelivered', registration).map((e) => e.attempt)).toEqual([3]);
      const signIn = started.body.data.startLogin.challengeId as string;
      expect(sms('OtpDeliveryFailed', signIn).map((e) => [e.attempt, e.retryable])).toEqual([
        [1, true],
        [2, true],
        [3, true],
        [4, false],
      ]);
      expect(sms('OtpDelivered', signIn)).toEqual([]);
    } finally {
      await twilio.close();
    }
  });
});
