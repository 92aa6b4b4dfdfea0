import { rmSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditCheckpointsStream } from '../../src/domain/shared/streams.js';
import { type Member, startLoad } from './support/load.js';
import { readLog } from './support/log-checks.js';
import { addCitizen, type Citizen, register } from './support/portal-client.js';
import { type ServerProcess, startServer } from './support/server-process.js';

/**
 * SIGTERM while requests are in flight: /ready stops answering 200 at once, the listener closes, the
 * requests in flight finish, the last audit checkpoint covers every event, the exit code is 0.
 */
describe('graceful shutdown under load', () => {
  let server: ServerProcess;
  beforeAll(async () => {
    server = await startServer({
      // argon2 at its production cost, so that sign-ins and registrations are in flight at the signal.
      LIMIT_REQUESTS_PER_IP_PER_MINUTE: '1000000',
      LIMIT_SIGNIN_PER_IP_PER_MINUTE: '1000000',
      SHUTDOWN_TIMEOUT_MS: '20000',
    });
  });
  afterAll(async () => {
    await server?.stop('SIGKILL');
    if (server) rmSync(server.dataDir, { recursive: true, force: true });
  });

  it('finishes what is in flight, writes the last checkpoint, exits 0, and loses no success', async () => {
    const urls = [server.url];
    const members: Member[] = [];
    for (let i = 0; i < 4; i += 1) {
      const citizen = await addCitizen(urls);
      members.push({ citizen, token: await register(server.url, urls, citizen) });
    }
    const newcomers: Citizen[] = [];
    for (let i = 0; i < 20; i += 1) newcomers.push(await addCitizen(urls));
    const load = startLoad({ url: server.url, instanceUrls: urls, members, newcomers, clients: 4 });
    await load.successes(8);

    const signalledAt = Date.now();
    const exited = server.stop('SIGTERM');
    // Once the process has taken the signal, /ready never answers 200 again: 503 while the listener
    // is still open, then no listener at all (nginx's proxy_next_upstream error goes elsewhere).
    await expect.poll(() => server.output().includes('stopping: finishing requests in flight')).toBe(true);
    const readiness: Array<number | 'refused'> = [];
    for (let i = 0; i < 5; i += 1)
      readiness.push(
        await fetch(`${server.url}/ready`).then(
          (r) => r.status,
          () => 'refused' as const,
        ),
      );
    expect(readiness).not.toContain(200);
    expect(await exited).toBe(0);
    await load.stop();

    // Every request sent before the signal was answered (in flight, it was finished, not cut).
    const before = load.answered.filter((x) => x.sentAt < signalledAt);
    expect(before.filter((x) => x.outcome.startsWith('NO_ANSWER'))).toEqual([]);
    const log = readLog(server.dataDir);
    for (const answer of load.answered.filter((x) => x.outcome === 'OK'))
      expect(log.eventsOfRequest(answer.requestId), answer.op).toBeGreaterThan(0);
    expect(log.gappedStreams).toEqual([]);

    // The last event of the log is the checkpoint that covers all before it.
    const db = new Database(join(server.dataDir, 'events.sqlite'), { readonly: true });
    const last = db
      .prepare('SELECT stream, position, data FROM events ORDER BY position DESC LIMIT 1')
      .get() as {
      stream: string;
      position: number;
      data: string;
    };
    db.close();
    expect(last.stream).toBe(auditCheckpointsStream);
    expect(JSON.parse(last.data).position).toBe(last.position - 1);
    expect(server.output()).toContain('last audit checkpoint written');
  });
});
