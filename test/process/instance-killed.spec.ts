import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createClient } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { subscribe } from '../applications/ws-subscriber.js';
import { type Member, startLoad } from './support/load.js';
import { readLog } from './support/log-checks.js';
import { type NginxProcess, startNginx } from './support/nginx.js';
import { APPLY, addCitizen, type Citizen, gql, register } from './support/portal-client.js';
import { type RedisProcess, startRedis } from './support/redis-process.js';
import { replayEquals } from './support/replay.js';
import { type ServerProcess, startServer, startServers, tempDataDir } from './support/server-process.js';

const ASSIGN =
  'mutation($id: ID!) { assignApplication(id: $id) { __typename ... on Application { status } } }';
const REQUEST =
  'mutation($id: ID!, $message: String!) { requestInformation(id: $id, message: $message) { __typename } }';
const PROVIDE =
  'mutation($id: ID!, $message: String!) { provideInformation(id: $id, message: $message) { __typename } }';
const APPROVE = 'mutation($id: ID!) { approveApplication(id: $id) { __typename } }';

const hostOf = (url: string) => url.replace(/^http:\/\//, '');

/**
 * Two instances on one DATA_DIR behind nginx (the repository's configuration); a load of
 * registrations, sign-ins and applications through nginx; one instance gets SIGKILL in the middle.
 */
describe('an instance killed under load behind nginx', () => {
  let redis: RedisProcess;
  let a: ServerProcess;
  let b: ServerProcess;
  let nginx: NginxProcess;
  const dataDir = tempDataDir('portal-kill-');
  const documentsDir = mkdtempSync(join(tmpdir(), 'portal-kill-docs-'));
  let env: Record<string, string>;

  beforeAll(async () => {
    redis = await startRedis();
    env = {
      DATA_DIR: dataDir,
      DOCUMENTS_DIR: documentsDir,
      REDIS_URL: redis.url,
      TRUST_PROXY: '127.0.0.1',
      ARGON2_MEMORY_KIB: '1024',
      ARGON2_TIME_COST: '1',
      LIMIT_REQUESTS_PER_IP_PER_MINUTE: '1000000',
      LIMIT_SIGNIN_PER_IP_PER_MINUTE: '1000000',
    };
    [a, b] = (await startServers([env, env])) as [ServerProcess, ServerProcess];
    nginx = await startNginx([hostOf(a.url), hostOf(b.url)]);
  });
  afterAll(async () => {
    await nginx?.stop();
    await a?.stop('SIGKILL');
    await b?.stop('SIGKILL');
    await redis?.remove();
    rmSync(dataDir, { recursive: true, force: true });
    rmSync(documentsDir, { recursive: true, force: true });
  });

  it('loses no answered success, keeps serving and pushing, and the restarted instance catches up', async () => {
    const urls = [a.url, b.url];
    // The edge passes neither /metrics nor /dev, which each instance serves to loopback behind it.
    for (const path of ['/metrics', '/metrics/', '/dev/outbox?to=x', '/dev/registry/citizens']) {
      expect((await fetch(`${nginx.url}${path}`)).status, path).toBe(404);
    }
    expect((await fetch(`${a.url}/metrics`)).status).toBe(200);
    expect((await fetch(`${a.url}/dev/outbox?to=x`)).status).toBe(200);
    const members: Member[] = [];
    for (let i = 0; i < 6; i += 1) {
      const citizen = await addCitizen(urls);
      members.push({ citizen, token: await register(nginx.url, urls, citizen) });
    }
    const newcomers: Citizen[] = [];
    for (let i = 0; i < 40; i += 1) newcomers.push(await addCitizen(urls));

    // A caseworker and an application whose updates B (the survivor) pushes to a subscriber on it.
    const worker = await addCitizen(urls);
    const workerToken = await register(nginx.url, urls, worker);
    const granted = await fetch(`${b.url}/dev/roles`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ identifier: worker.nid, role: 'CASEWORKER', institution: 'DPGJC' }),
    });
    expect(granted.status).toBe(201);
    const applicant = members[0]!;
    const applied = await gql(nginx.url, APPLY, { serviceId: 'DPGJC-PERSONAL-CERTIFICATE' }, applicant.token);
    const id = applied.body.data.applyForService.id as string;
    const client = createClient({
      url: `${b.url.replace('http', 'ws')}/graphql`,
      webSocketImpl: WebSocket,
      retryAttempts: 0,
      connectionParams: { authorization: `Bearer ${applicant.token}` },
    });
    // Through nginx as well: websockets are passed through.
    const edgeClient = createClient({
      url: `${nginx.url.replace('http', 'ws')}/graphql`,
      webSocketImpl: WebSocket,
      retryAttempts: 0,
      connectionParams: { authorization: `Bearer ${applicant.token}` },
    });
    // Assigned before anyone subscribes; from then on every change is a request for information or
    // its answer, in turn, so that each one pushes (assigning again changes nothing, and pushes nothing).
    expect((await gql(nginx.url, ASSIGN, { id }, workerToken)).body.data.assignApplication.status).toBe(
      'IN_REVIEW',
    );
    let asked = false;
    const change = async () => {
      const reply = asked
        ? await gql(nginx.url, PROVIDE, { id, message: 'Raiffeisen' }, applicant.token)
        : await gql(nginx.url, REQUEST, { id, message: 'Which bank?' }, workerToken);
      const answer = Object.values(reply.body.data ?? {})[0] as { __typename?: string } | undefined;
      expect(answer?.__typename, JSON.stringify(reply.body)).toBe('Application');
      asked = !asked;
    };
    /** A subscription is registered once a change reaches it: change until it has. */
    const changeUntil = (received: () => boolean) =>
      expect
        .poll(
          async () => {
            await change();
            return received();
          },
          { timeout: 15_000, interval: 300 },
        )
        .toBe(true);
    const updates = subscribe(client, { id });
    const edgeUpdates = subscribe(edgeClient, { id });
    await changeUntil(() => updates.received.length > 0 && edgeUpdates.received.length > 0);
    // The first push it got: a request, or the answer to one it was not yet subscribed for.
    expect(updates.received[0]!.id).toBe(id);
    expect(['INFORMATION_REQUESTED', 'IN_REVIEW']).toContain(updates.received[0]!.status);

    const load = startLoad({ url: nginx.url, instanceUrls: urls, members, newcomers, clients: 4 });
    await load.successes(15);
    // SIGKILL: no shutdown at all, requests in flight on A are cut.
    await a.stop('SIGKILL');
    const killedAt = load.answered.length;
    await load.successes(15);
    const afterKill = load.answered.slice(killedAt);
    expect(afterKill.filter((x) => x.outcome === 'OK').length).toBeGreaterThanOrEqual(15);

    // B keeps pushing changes made through nginx after A died: to the subscriber on B, and to a
    // websocket opened through nginx after the kill (the edge sends it to B, the one left). That one
    // is registered once a change reaches it: ask and answer until one does.
    const edgeAfterKill = createClient({
      url: `${nginx.url.replace('http', 'ws')}/graphql`,
      webSocketImpl: WebSocket,
      retryAttempts: 0,
      connectionParams: { authorization: `Bearer ${applicant.token}` },
    });
    const afterKillUpdates = subscribe(edgeAfterKill, { id });
    const beforeKillChanges = updates.received.length;
    await changeUntil(() => afterKillUpdates.received.length > 0);
    expect(updates.received.length).toBeGreaterThan(beforeKillChanges);
    if (asked) await gql(nginx.url, PROVIDE, { id, message: 'Raiffeisen' }, applicant.token);
    await gql(nginx.url, APPROVE, { id }, workerToken);
    await updates.until(() => updates.received.some((u) => u.status === 'APPROVED'));
    await afterKillUpdates.until(() => afterKillUpdates.received.some((u) => u.status === 'APPROVED'));
    expect(updates.errors).toEqual([]);
    expect(afterKillUpdates.errors).toEqual([]);
    await edgeAfterKill.dispose();

    // A restarts on the same DATA_DIR and environment and catches up with the log.
    a = await startServer(env);
    await expect
      .poll(
        async () =>
          (await gql(a.url, 'query($id: ID!) { application(id: $id) { status } }', { id }, applicant.token))
            .body.data?.application?.status,
        { timeout: 20_000 },
      )
      .toBe('APPROVED');
    await load.successes(5);
    await load.stop();
    await edgeClient.dispose();
    await client.dispose();
    await nginx.stop();
    const files = [a, b].map((s) => s.output().match(/"readModels":"([^"]+)"/)?.[1]);
    expect(await a.stop('SIGTERM')).toBe(0);
    expect(await b.stop('SIGTERM')).toBe(0);

    // Every request answered with success has its events in the log; the log is whole.
    const log = readLog(dataDir);
    const successes = load.answered.filter((x) => x.outcome === 'OK');
    for (const answer of successes) {
      expect(log.eventsOfRequest(answer.requestId), `${answer.op} ${answer.requestId}`).toBeGreaterThan(0);
      if (answer.applicationId) expect(log.hasApplication(answer.applicationId)).toBe(true);
    }
    expect(log.gappedStreams).toEqual([]);
    // No answer is a server error other than nginx's for the requests cut by the kill.
    const failures = load.answered.filter((x) => x.outcome === 'INTERNAL');
    expect(failures).toEqual([]);
    // Both read-model files (the restarted A's caught up from its checkpoint) equal a rebuild.
    for (const file of files) {
      const replay = replayEquals(dataDir, file!);
      expect(replay.output).toContain('OK: every read model equals its replay');
    }
  });
});
