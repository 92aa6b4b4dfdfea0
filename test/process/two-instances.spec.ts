import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  APPLICATION,
  APPLY,
  addCitizen,
  gql,
  ME,
  pdfBytes,
  register,
  upload,
} from './support/portal-client.js';
import { type RedisProcess, startRedis } from './support/redis-process.js';
import { replayEquals } from './support/replay.js';
import { type ServerProcess, startServers, tempDataDir } from './support/server-process.js';

/**
 * Two `dist/main.js` processes started with the same environment on one DATA_DIR: each claims a
 * read-model file of its own (no variable to set), they share the log, Redis and DOCUMENTS_DIR, so a
 * person registered through one is signed in on the other and a document uploaded through one is
 * attached and downloaded through the other.
 */
describe('two server processes on one DATA_DIR', () => {
  let redis: RedisProcess;
  let a: ServerProcess;
  let b: ServerProcess;
  const dataDir = tempDataDir('portal-two-');
  const documentsDir = mkdtempSync(join(tmpdir(), 'portal-docs-'));

  beforeAll(async () => {
    redis = await startRedis();
    const env = {
      DATA_DIR: dataDir,
      DOCUMENTS_DIR: documentsDir,
      REDIS_URL: redis.url,
      ARGON2_MEMORY_KIB: '1024',
      ARGON2_TIME_COST: '1',
      LIMIT_REQUESTS_PER_IP_PER_MINUTE: '1000000',
    };
    // Started together, as an orchestrator would: the dev secret and the slots must not race.
    [a, b] = (await startServers([env, env])) as [ServerProcess, ServerProcess];
  });
  afterAll(async () => {
    await a?.stop('SIGKILL');
    await b?.stop('SIGKILL');
    await redis?.remove();
    rmSync(dataDir, { recursive: true, force: true });
    rmSync(documentsDir, { recursive: true, force: true });
  });

  it('each keeps its own read models, and both serve one person and one document', async () => {
    const urls = [a.url, b.url];
    const files = [a, b].map((s) => s.output().match(/"readModels":"([^"]+)"/)?.[1]);
    expect(new Set(files).size).toBe(2);
    expect(files.map((f) => f?.slice(dataDir.length + 1)).sort()).toEqual([
      'readmodels-2.sqlite',
      'readmodels.sqlite',
    ]);

    const citizen = await addCitizen(urls);
    const token = await register(a.url, urls, citizen);
    // The session started through A is known to B (Redis).
    expect((await gql(b.url, ME, {}, token)).body.data.me.identifier).toBe(citizen.nid);

    // One document uploaded through each instance, both under DOCUMENTS_DIR (not DATA_DIR/documents).
    const contents = [pdfBytes(4096, 'q'), pdfBytes(2048, 'r')];
    const documentIds: string[] = [];
    for (const [i, url] of [a.url, b.url].entries()) {
      const uploaded = await upload(url, token, contents[i]!);
      expect(uploaded.status).toBe(201);
      documentIds.push(uploaded.body.documentId as string);
    }
    for (const documentId of documentIds) {
      expect(readdirSync(documentsDir)).toContain(documentId);
      expect(existsSync(join(dataDir, 'documents', documentId))).toBe(false);
    }

    // A's upload event reaches B's fold of the document stream from the shared log; B attaches both.
    const applied = await gql(b.url, APPLY, { serviceId: 'DPGJC-MARRIAGE-ABROAD', documentIds }, token);
    expect(applied.body.data.applyForService).toMatchObject({
      __typename: 'Application',
      status: 'SUBMITTED',
      documents: expect.arrayContaining(documentIds.map((id) => ({ id }))),
    });
    const id = applied.body.data.applyForService.id as string;

    // Each downloaded through both, byte for byte what was uploaded.
    for (const url of urls)
      for (const [i, documentId] of documentIds.entries()) {
        const download = await fetch(`${url}/documents/${documentId}`, {
          headers: { authorization: `Bearer ${token}` },
        });
        expect(download.status).toBe(200);
        expect(Buffer.from(await download.arrayBuffer()).equals(contents[i]!)).toBe(true);
      }

    // A's read models learn of B's application from the log (polled), without anyone telling it.
    await expect
      .poll(async () => (await gql(a.url, APPLICATION, { id }, token)).body.data?.application?.status, {
        timeout: 10_000,
      })
      .toBe('SUBMITTED');

    // Both stop cleanly; each read-model file then equals a rebuild from the log.
    expect(await a.stop('SIGTERM')).toBe(0);
    expect(await b.stop('SIGTERM')).toBe(0);
    for (const file of files) {
      const replay = replayEquals(dataDir, file!);
      expect(replay.output).toContain('OK: every read model equals its replay');
      expect(replay.code).toBe(0);
    }
  });
});
