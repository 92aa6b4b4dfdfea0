import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLoad } from './support/load.js';
import { readLog, verifyChains } from './support/log-checks.js';
import { APPLY, addCitizen, codeOf, gql, ME, register, START_LOGIN } from './support/portal-client.js';
import { type ServerProcess, startServer } from './support/server-process.js';

async function setFault(url: string, fault: 'SQLITE_FULL' | null) {
  const response = await fetch(`${url}/dev/faults/event-store`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ fault }),
  });
  expect(response.status).toBe(200);
}

/**
 * The event store's disk is full (injected inside the process through the SQLite adapter's test-only
 * fault, as SQLITE_FULL): commands answer UNAVAILABLE while reads go on, nothing is half-written,
 * and writing resumes by itself once the fault is lifted.
 */
describe('the event store cannot write (disk full)', () => {
  let server: ServerProcess;
  beforeAll(async () => {
    server = await startServer({
      TEST_FAULTS: '1',
      ARGON2_MEMORY_KIB: '1024',
      ARGON2_TIME_COST: '1',
      LIMIT_REQUESTS_PER_IP_PER_MINUTE: '1000000',
      LIMIT_SIGNIN_PER_IP_PER_MINUTE: '1000000',
      AUDIT_CHECKPOINT_EVERY_MS: '200',
    });
  });
  afterAll(async () => {
    await server?.stop('SIGKILL');
    if (server) rmSync(server.dataDir, { recursive: true, force: true });
  });

  it('answers UNAVAILABLE under load, writes nothing half, and resumes when the disk has room again', async () => {
    const urls = [server.url];
    const members = [];
    for (let i = 0; i < 4; i += 1) {
      const citizen = await addCitizen(urls);
      members.push({ citizen, token: await register(server.url, urls, citizen) });
    }
    const newcomers = [];
    for (let i = 0; i < 30; i += 1) newcomers.push(await addCitizen(urls));
    const load = startLoad({ url: server.url, instanceUrls: urls, members, newcomers, clients: 4 });
    await load.successes(10);

    await setFault(server.url, 'SQLITE_FULL');
    const before = load.answered.length;
    // While the disk is full: a sign-in and an application are refused as UNAVAILABLE (a 503-class
    // answer the client retries), never INTERNAL; the person's reads and /health still answer.
    const [member] = members;
    const signIn = await gql(server.url, START_LOGIN, {
      identifier: member!.citizen.nid,
      password: 'wrong-password-1',
    });
    expect(codeOf(signIn)).toBe('UNAVAILABLE');
    const apply = await gql(server.url, APPLY, { serviceId: 'DPGJC-PERSONAL-CERTIFICATE' }, member!.token);
    expect(codeOf(apply)).toBe('UNAVAILABLE');
    expect(apply.body.errors?.[0]?.message).not.toMatch(/SQLITE|disk/i);
    expect((await gql(server.url, ME, {}, member!.token)).body.data.me.identifier).toBe(member!.citizen.nid);
    expect((await fetch(`${server.url}/health`)).status).toBe(200);
    // ...while /ready takes the instance out of the load balancer: its store cannot be written.
    const ready = await fetch(`${server.url}/ready`);
    expect(ready.status).toBe(503);
    expect(JSON.stringify(await ready.json())).toContain('store: cannot be written');
    // The load meets the fault too: let it run into it for a while.
    await expect
      .poll(() => load.answered.slice(before).filter((a) => a.outcome === 'UNAVAILABLE').length)
      .toBeGreaterThan(5);

    await setFault(server.url, null);
    expect((await fetch(`${server.url}/ready`)).status).toBe(200);
    // Writing resumes by itself: the very next command succeeds, and the load goes on succeeding.
    const after = await gql(server.url, APPLY, { serviceId: 'DPGJC-PERSONAL-CERTIFICATE' }, member!.token);
    expect(after.body.data.applyForService.__typename).toBe('Application');
    await load.successes(10);
    await load.stop();
    expect(await server.stop('SIGTERM')).toBe(0);

    // Every answer was a success or UNAVAILABLE (a code the flow answers, e.g. a code for another
    // challenge, aside): never INTERNAL, never no answer.
    const outcomes = new Set(load.answered.map((a) => a.outcome));
    expect(
      [...outcomes].filter(
        (o) => o === 'INTERNAL' || o.startsWith('NO_ANSWER') || (o.startsWith('HTTP_5') && o !== 'HTTP_503'),
      ),
    ).toEqual([]);
    expect(outcomes.has('UNAVAILABLE')).toBe(true);

    const log = readLog(server.dataDir);
    // Nothing half-written: every stream's revisions are 0..n-1, and every hash chain verifies.
    expect(log.gappedStreams).toEqual([]);
    const verified = verifyChains(server.dataDir);
    expect(verified.output).toContain('OK:');
    expect(verified.code).toBe(0);
    // Every success is in the log; no refused request left anything there.
    for (const answer of load.answered) {
      if (answer.outcome === 'OK')
        expect(log.eventsOfRequest(answer.requestId), answer.op).toBeGreaterThan(0);
      if (answer.outcome === 'UNAVAILABLE') expect(log.eventsOfRequest(answer.requestId), answer.op).toBe(0);
      if (answer.applicationId) expect(log.hasApplication(answer.applicationId)).toBe(true);
    }
  });
});
