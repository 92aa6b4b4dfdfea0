import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServices } from '../../src/bootstrap/services.js';
import { runAuditCli } from '../../src/cli/audit.js';
import { CHECKPOINT_STREAM } from '../../src/domain/audit/checkpoint.js';
import { AdjustableClock, ManualClock } from '../../src/infra/clock.js';
import { loadConfig } from '../../src/infra/config.js';
import { startTestApp } from '../support/harness.js';
import { appendEvent, auditor, fakeAuthenticator, TEST_SECRET } from './fixtures.js';

/**
 * Each test copies one untouched data directory, edits its SQLite event log directly (as someone with
 * access to the file would), and expects both verifyAuditChain and `npm run audit -- verify` to name
 * the right position.
 */
const dirs: string[] = [];
let pristine: string;
const at: Record<string, number> = {};

beforeAll(async () => {
  pristine = mkdtempSync(join(tmpdir(), 'portal-tamper-'));
  dirs.push(pristine);
  // Checkpoints only where the steps below write them: the clock moves a minute a step.
  const config = loadConfig({
    NODE_ENV: 'test',
    DATA_DIR: pristine,
    PORTAL_SECRET: TEST_SECRET,
    AUDIT_CHECKPOINT_EVERY_MS: '3600000',
  });
  const clock = new AdjustableClock(new ManualClock());
  const services = await createServices(config, { clock });
  const step = async (name: string, stream: string, type: string, data: Record<string, unknown>) => {
    clock.advance(60_000);
    at[name] = await appendEvent(services, stream, type, data);
  };
  const checkpoint = async (name: string) => {
    expect(await services.audit.checkpoints.writeNow()).toBe(1);
    const [last] = (await services.store.readStream(CHECKPOINT_STREAM)).slice(-1);
    at[name] = last!.position;
  };
  await step('aRegistered', 'ledger-a', 'LedgerOpened', {
    accountId: 'a',
    personal: { email: 'a@example.al' },
  });
  await step('bRegistered', 'ledger-b', 'LedgerOpened', {
    accountId: 'b',
    personal: { email: 'b@example.al' },
  });
  await step('aRejected', 'ledger-a', 'EntryRecorded', { attempt: 1 });
  await step('bRejected', 'ledger-b', 'EntryRecorded', { attempt: 1 });
  await step('bAccepted', 'ledger-b', 'EntryApproved', {});
  await checkpoint('firstCheckpoint');
  await step('aRejectedAgain', 'ledger-a', 'EntryRecorded', { attempt: 2 });
  await step('bSession', 'ledger-b', 'VisitStarted', { sessionId: 's1' });
  await checkpoint('latestCheckpoint');
  await step('bVisitEnded', 'ledger-b', 'VisitEnded', { sessionId: 's1' });
  await services.close();
});

afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

function tampered(edit: (db: Database.Database) => void): string {
  const dir = mkdtempSync(join(tmpdir(), 'portal-tampered-'));
  dirs.push(dir);
  cpSync(pristine, dir, { recursive: true });
  const db = new Database(join(dir, 'events.sqlite'));
  edit(db);
  db.close();
  return dir;
}

async function cliVerify(dir: string) {
  const out: string[] = [];
  const code = await runAuditCli(
    ['verify', '--json'],
    { DATA_DIR: dir, PORTAL_SECRET: TEST_SECRET },
    {
      out: (line) => out.push(line),
      err: () => {},
    },
  );
  return { code, result: JSON.parse(out.join('')) as { ok: boolean; firstBrokenPosition: number | null } };
}

async function apiVerify(dir: string) {
  const test = await startTestApp({ DATA_DIR: dir }, { authenticator: fakeAuthenticator({ auditor }) });
  try {
    const response = await test.gql(
      '{ verifyAuditChain { ok checkedEvents firstBrokenPosition problem checkpoints } }',
      {},
      { token: 'auditor' },
    );
    expect(response.errors).toBeUndefined();
    return response.data.verifyAuditChain as {
      ok: boolean;
      firstBrokenPosition: string | null;
      checkpoints: number;
    };
  } finally {
    await test.close();
  }
}

async function expectBrokenAt(dir: string, position: number) {
  const cli = await cliVerify(dir);
  expect(cli.code).toBe(1);
  expect(cli.result.firstBrokenPosition).toBe(position);
  const api = await apiVerify(dir);
  expect(api).toMatchObject({ ok: false, firstBrokenPosition: String(position) });
}

const position = (name: string) => at[name]!;

describe('tamper evidence on a SQLite event log', () => {
  it('verifies the untouched log, both ways', async () => {
    const cli = await cliVerify(pristine);
    expect(cli).toMatchObject({ code: 0, result: { ok: true, firstBrokenPosition: null } });
    expect(await apiVerify(tampered(() => {}))).toMatchObject({
      ok: true,
      firstBrokenPosition: null,
      // The two written above, and the closing one of the graceful shutdown (covering bVisitEnded).
      checkpoints: 3,
    });
  });

  it('catches one byte of an event’s data changed', async () => {
    const dir = tampered((db) =>
      db
        .prepare(`UPDATE events SET data = replace(data, '"attempt":1', '"attempt":2') WHERE position = ?`)
        .run(position('bRejected')),
    );
    await expectBrokenAt(dir, position('bRejected'));
  });

  it('catches an event’s type changed', async () => {
    const dir = tampered((db) =>
      db.prepare(`UPDATE events SET type = 'EntryRecorded' WHERE position = ?`).run(position('bAccepted')),
    );
    await expectBrokenAt(dir, position('bAccepted'));
  });

  it('catches two events of one stream swapped', async () => {
    const dir = tampered((db) => {
      const read = db.prepare('SELECT type, data, metadata FROM events WHERE position = ?');
      const write = db.prepare('UPDATE events SET type = ?, data = ?, metadata = ? WHERE position = ?');
      const first = read.get(position('bRejected')) as { type: string; data: string; metadata: string };
      const second = read.get(position('bAccepted')) as typeof first;
      write.run(second.type, second.data, second.metadata, position('bRejected'));
      write.run(first.type, first.data, first.metadata, position('bAccepted'));
    });
    await expectBrokenAt(dir, position('bRejected'));
  });

  it('catches an event removed before the latest checkpoint, at its own position', async () => {
    const dir = tampered((db) =>
      db.prepare('DELETE FROM events WHERE position = ?').run(position('aRejectedAgain')),
    );
    await expectBrokenAt(dir, position('aRejectedAgain'));
  });

  it('catches the log truncated before the latest checkpoint, at the first missing position', async () => {
    const dir = tampered((db) =>
      db.prepare('DELETE FROM events WHERE position > ?').run(position('aRejectedAgain')),
    );
    await expectBrokenAt(dir, position('bSession'));
  });

  it('catches a checkpoint edited', async () => {
    const dir = tampered((db) =>
      db
        .prepare(`UPDATE events SET data = json_set(data, '$.eventCount', 99) WHERE position = ?`)
        .run(position('firstCheckpoint')),
    );
    await expectBrokenAt(dir, position('firstCheckpoint'));
  });

  it.each([
    ['actor', `json_set(metadata, '$.actor', json('{"kind":"STAFF","display":"Someone else"}'))`],
    ['ip', `json_set(metadata, '$.ip', '198.51.100.1')`],
    ['ip (removed)', `json_remove(metadata, '$.ip')`],
    ['correlationId', `json_set(metadata, '$.correlationId', 'another-request')`],
    ['chain version (removed, to pass as the old formula)', `json_remove(metadata, '$.chain')`],
  ])('catches an event’s %s rewritten in its metadata', async (_field, edited) => {
    const dir = tampered((db) =>
      db.prepare(`UPDATE events SET metadata = ${edited} WHERE position = ?`).run(position('bRejected')),
    );
    await expectBrokenAt(dir, position('bRejected'));
  });

  it('catches an event’s id replaced', async () => {
    const dir = tampered((db) =>
      db
        .prepare('UPDATE events SET id = ? WHERE position = ?')
        .run('3b241101-e2bb-4255-8caf-4136c566a962', position('bRejected')),
    );
    await expectBrokenAt(dir, position('bRejected'));
  });

  it('is what `npm run audit -- verify` prints and exits with', () => {
    const dir = tampered((db) =>
      db.prepare(`UPDATE events SET type = 'EntryRecorded' WHERE position = ?`).run(position('bAccepted')),
    );
    const run = spawnSync('npm', ['run', '--silent', 'audit', '--', 'verify'], {
      env: { ...process.env, DATA_DIR: dir, PORTAL_SECRET: TEST_SECRET },
      encoding: 'utf8',
    });
    expect(run.status).toBe(1);
    expect(run.stdout).toContain(`BROKEN at position ${position('bAccepted')}`);
  });
});
