import { chmodSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { Redis } from 'ioredis';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { queryAuditLog } from '../../src/app/audit/audit-log.js';
import { WITNESS_FILE } from '../../src/app/audit/witness.js';
import type { Services } from '../../src/app/services.js';
import { createServices } from '../../src/bootstrap/services.js';
import { runAuditCli } from '../../src/cli/audit.js';
import { CHECKPOINT_STREAM } from '../../src/domain/audit/checkpoint.js';
import { DEV_AUDIT_DIR, generateAuditKey } from '../../src/infra/audit-signing-key.js';
import { AdjustableClock, ManualClock } from '../../src/infra/clock.js';
import { ConfigError, loadConfig } from '../../src/infra/config.js';
import { REDIS_TEST_URL, redisAnswers, uniquePrefix } from '../account/redis-available.js';
import { appendEvent, TEST_SECRET } from './fixtures.js';

const dirs: string[] = [];
const temporary = (prefix: string) => {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  dirs.push(dir);
  return dir;
};
const open: Services[] = [];
const warnings: string[] = [];
const log = { info() {}, error() {}, warn: (_o: object, msg?: string) => void warnings.push(msg ?? '') };

async function start(env: Record<string, string> = {}, dataDir = temporary('portal-audit-')) {
  const clock = new AdjustableClock(new ManualClock());
  const services = await createServices(
    loadConfig({ NODE_ENV: 'test', DATA_DIR: dataDir, PORTAL_SECRET: TEST_SECRET, ...env }),
    { clock, log },
  );
  open.push(services);
  return { services, clock, dataDir };
}

beforeEach(() => {
  warnings.length = 0;
});
afterEach(async () => {
  for (const services of open.splice(0)) await services.close();
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

const checkpointsOf = async (services: Services) =>
  (await services.store.readStream(CHECKPOINT_STREAM)).length;

describe('checkpoint timing', () => {
  it('writes a checkpoint once the server clock passes AUDIT_CHECKPOINT_EVERY_MS with events arriving, none while idle', async () => {
    const { services, clock } = await start({ AUDIT_CHECKPOINT_EVERY_MS: '10000' });
    await appendEvent(services, 'ledger-a', 'EntryRecorded', { attempt: 1 });
    await services.audit.checkpoints.settled();
    const first = await checkpointsOf(services);
    clock.advance(9_999);
    await appendEvent(services, 'ledger-a', 'EntryRecorded', { attempt: 2 });
    await services.audit.checkpoints.settled();
    expect(await checkpointsOf(services)).toBe(first);
    clock.advance(1);
    await appendEvent(services, 'ledger-a', 'EntryRecorded', { attempt: 3 });
    await services.audit.checkpoints.settled();
    expect(await checkpointsOf(services)).toBe(first + 1);
    // Idle: the clock moves, nothing arrives, nothing is written; a run finds nothing to cover.
    clock.advance(3_600_000);
    expect(await services.audit.checkpoints.writeNow()).toBe(0);
    expect(await checkpointsOf(services)).toBe(first + 1);
    expect(services.audit.latestWitness()).toMatchObject({ number: first + 1 });
  });
});

describe('key rotation', () => {
  it('keeps verifying checkpoints signed with the old key by its id, and refuses them once it is dropped', async () => {
    const secrets = temporary('portal-secrets-');
    const [oldKey, newKey] = [generateAuditKey(), generateAuditKey()];
    writeFileSync(join(secrets, 'old.pem'), oldKey.pem, { mode: 0o600 });
    writeFileSync(join(secrets, 'new.pem'), newKey.pem, { mode: 0o600 });
    const witness = temporary('portal-witness-');
    const env = { AUDIT_WITNESS_DIR: witness, AUDIT_CHECKPOINT_EVERY_MS: '3600000' };
    const before = await start({ ...env, AUDIT_SIGNING_KEY_FILE: join(secrets, 'old.pem') });
    await appendEvent(before.services, 'ledger-a', 'EntryRecorded', { attempt: 1 });
    await before.services.close();
    open.length = 0;
    const after = await start(
      { ...env, AUDIT_SIGNING_KEY_FILE: join(secrets, 'new.pem'), AUDIT_VERIFY_KEYS: oldKey.verifyEntry },
      before.dataDir,
    );
    await appendEvent(after.services, 'ledger-a', 'EntryRecorded', { attempt: 2 });
    expect(await after.services.audit.checkpoints.writeNow()).toBe(1);
    const keyIds = (await after.services.store.readStream(CHECKPOINT_STREAM)).map((e) => e.data.keyId);
    expect(new Set(keyIds).size).toBe(2);
    expect(await after.services.audit.verify()).toMatchObject({ ok: true, witness: 'MATCHED' });
    const cli = async (keys: string) => {
      const out: string[] = [];
      const code = await runAuditCli(
        ['verify'],
        { DATA_DIR: before.dataDir, AUDIT_WITNESS_DIR: witness, AUDIT_VERIFY_KEYS: keys },
        { out: (line) => out.push(line), err: () => {} },
      );
      return { code, output: out.join('\n') };
    };
    expect((await cli(`${oldKey.verifyEntry},${newKey.verifyEntry}`)).code).toBe(0);
    const dropped = await cli(newKey.verifyEntry);
    expect(dropped.code).toBe(1);
    expect(dropped.output).toContain('which is not among the verification keys');
  });
});

describe('the witness in Redis', async () => {
  const available = await redisAnswers();
  it.skipIf(!available)('still proves a truncation when the witness file is deleted', async () => {
    const witness = temporary('portal-witness-');
    const env = {
      AUDIT_WITNESS_DIR: witness,
      AUDIT_CHECKPOINT_EVERY_MS: '3600000',
      REDIS_URL: REDIS_TEST_URL,
      REDIS_KEY_PREFIX: uniquePrefix(),
    };
    const { services, dataDir } = await start(env);
    const kept = await appendEvent(services, 'ledger-a', 'EntryRecorded', { attempt: 1 });
    await services.audit.checkpoints.writeNow();
    await appendEvent(services, 'ledger-a', 'EntryRecorded', { attempt: 2 });
    await services.close();
    open.length = 0;
    // The insider cuts the log back and deletes the witness file; the copy in Redis remains.
    const db = new Database(join(dataDir, 'events.sqlite'));
    db.prepare('DELETE FROM events WHERE position > ?').run(kept);
    db.close();
    rmSync(join(witness, WITNESS_FILE));
    const out: string[] = [];
    const code = await runAuditCli(
      ['verify'],
      { DATA_DIR: dataDir, ...env },
      { out: (line) => out.push(line), err: () => {} },
    );
    const redis = new Redis(REDIS_TEST_URL);
    await redis.del(`${env.REDIS_KEY_PREFIX}audit:witness`);
    redis.disconnect();
    expect(code).toBe(1);
    expect(out.join('\n')).toMatch(/before the checkpoint witnessed at/);
  });
});

describe('read models checked', () => {
  it('`verify --read-models` finds a live read-model row that was edited', async () => {
    const { services, dataDir } = await start({ AUDIT_CHECKPOINT_EVERY_MS: '3600000' });
    await appendEvent(services, 'data-access-p1', 'PersonalDataViewed', {
      accountId: 'p1',
      actor: 'Helpdesk',
      role: 'HELPDESK',
      purpose: 'Call',
      what: 'Account status',
    });
    await services.audit.checkpoints.writeNow();
    const run = async () => {
      const out: string[] = [];
      const code = await runAuditCli(
        ['verify', '--read-models'],
        { DATA_DIR: dataDir },
        { out: (line) => out.push(line), err: () => {} },
      );
      return { code, output: out.join('\n') };
    };
    expect(await run()).toMatchObject({ code: 0 });
    services.readDb.prepare("UPDATE data_access SET purpose = 'Curiosity'").run();
    const edited = await run();
    expect(edited.code).toBe(1);
    expect(edited.output).toContain('OK: 2 events');
    expect(edited.output).toMatch(/DIFFERS data_access: 1 rows only live, 1 only replayed/);
  });

  it('auditLog reports a gap in its index, and shows the event from the log instead of skipping it', async () => {
    const { services } = await start({ AUDIT_CHECKPOINT_EVERY_MS: '3600000' });
    const positions = [];
    for (let i = 0; i < 4; i++)
      positions.push(
        await appendEvent(services, 'data-access-p1', 'PersonalDataViewed', { accountId: 'p1', i }),
      );
    services.readDb.prepare('DELETE FROM audit_log WHERE position = ?').run(positions[1]);
    const page = await queryAuditLog(services.readDb, services.store, { accountId: 'p1', first: 10 });
    expect(page.indexGaps).toEqual([positions[1]]);
    expect(page.entries.map((entry) => entry.position)).toEqual(positions);
    expect(page.subjects).toEqual(['p1', 'p1', 'p1', 'p1']);
    const firstTwo = await queryAuditLog(services.readDb, services.store, {
      types: ['PersonalDataViewed'],
      first: 2,
    });
    expect(firstTwo.indexGaps).toEqual([positions[1]]);
  });
});

describe('files private', () => {
  it('creates the event log, read models, witness and development key owner-only, in owner-only directories', async () => {
    const previous = process.umask(0o022);
    try {
      const parent = temporary('portal-modes-');
      const dataDir = join(parent, 'data');
      const { services } = await start({ AUDIT_CHECKPOINT_EVERY_MS: '3600000' }, dataDir);
      await appendEvent(services, 'ledger-a', 'EntryRecorded', { attempt: 1 });
      await services.audit.checkpoints.writeNow();
      const mode = (path: string) => statSync(path).mode & 0o777;
      expect(mode(dataDir)).toBe(0o700);
      for (const file of ['events.sqlite', 'events.sqlite-wal', 'readmodels.sqlite', 'readmodels.sqlite-wal'])
        expect([file, mode(join(dataDir, file))]).toEqual([file, 0o600]);
      expect(mode(join(dataDir, DEV_AUDIT_DIR))).toBe(0o700);
      expect(mode(join(dataDir, DEV_AUDIT_DIR, WITNESS_FILE))).toBe(0o600);
      expect(mode(join(dataDir, DEV_AUDIT_DIR, 'signing-key.pem'))).toBe(0o600);
      expect(warnings.some((w) => w.includes('development key kept in DATA_DIR: it protects nothing'))).toBe(
        true,
      );
    } finally {
      process.umask(previous);
    }
  });

  it('warns at start-up when the signing key file is writable by others, not when it is only readable', async () => {
    const secrets = temporary('portal-secrets-');
    const file = join(secrets, 'audit.pem');
    writeFileSync(file, generateAuditKey().pem);
    chmodSync(file, 0o444);
    await start({ AUDIT_SIGNING_KEY_FILE: file, AUDIT_WITNESS_DIR: temporary('portal-witness-') });
    expect(warnings.filter((w) => w.includes('writable by others'))).toEqual([]);
    chmodSync(file, 0o666);
    await start({ AUDIT_SIGNING_KEY_FILE: file, AUDIT_WITNESS_DIR: temporary('portal-witness-') });
    expect(warnings.filter((w) => w.includes('writable by others'))).toHaveLength(1);
  });
});

describe('production configuration', () => {
  const production = { NODE_ENV: 'production', PORTAL_SECRET: 'x'.repeat(32), REGISTRY_URL: 'http://r' };
  it.each([
    [{}, 'AUDIT_SIGNING_KEY_FILE', 'is required in production'],
    [{ AUDIT_SIGNING_KEY_FILE: '/run/secrets/audit.pem' }, 'AUDIT_WITNESS_DIR', 'is required in production'],
    [
      { AUDIT_SIGNING_KEY_FILE: './data/audit.pem', AUDIT_WITNESS_DIR: '/var/lib/witness' },
      'AUDIT_SIGNING_KEY_FILE',
      'must be outside DATA_DIR',
    ],
    [
      { AUDIT_SIGNING_KEY_FILE: '/run/secrets/audit.pem', AUDIT_WITNESS_DIR: './data/witness' },
      'AUDIT_WITNESS_DIR',
      'must be outside DATA_DIR',
    ],
  ])('refuses to start with %j: %s %s', (env, variable, message) => {
    try {
      loadConfig({ ...production, ...env });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as ConfigError).variable).toBe(variable);
      expect((error as Error).message).toContain(message);
    }
  });
});
