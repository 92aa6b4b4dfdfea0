import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { CheckpointWriter } from '../../src/app/audit/checkpoint-writer.js';
import { replayAndCompare } from '../../src/app/audit/replay-compare.js';
import { AUDIT_CHECKS_JOB } from '../../src/app/audit/scheduled-checks.js';
import type { Services } from '../../src/app/services.js';
import { createServices } from '../../src/bootstrap/services.js';
import { runAuditCli } from '../../src/cli/audit.js';
import { CHECKPOINT_STREAM } from '../../src/domain/audit/checkpoint.js';
import { CHECKS_STREAM } from '../../src/domain/audit/checks.js';
import { AdjustableClock, ManualClock } from '../../src/infra/clock.js';
import { loadConfig } from '../../src/infra/config.js';
import { allProjections } from '../../src/projections/index.js';
import { appendEvent, TEST_SECRET } from './fixtures.js';

let dir: string;
let services: Services;
const errors: string[] = [];

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'portal-checks-'));
  const log = { info() {}, warn() {}, error: (_o: object, msg?: string) => void errors.push(msg ?? '') };
  services = await createServices(
    loadConfig({ NODE_ENV: 'test', DATA_DIR: dir, PORTAL_SECRET: TEST_SECRET }),
    {
      clock: new AdjustableClock(new ManualClock()),
      log,
    },
  );
  errors.length = 0;
});

afterEach(async () => {
  await services.close();
  rmSync(dir, { recursive: true, force: true });
});

async function someHistory(count: number) {
  for (let i = 0; i < count; i++) {
    await appendEvent(services, `ledger-p${i % 3}`, 'EntryRecorded', { attempt: i });
    await appendEvent(services, `data-access-p${i % 3}`, 'PersonalDataViewed', {
      accountId: `p${i % 3}`,
      actor: 'Helpdesk',
      role: 'HELPDESK',
      purpose: 'Call',
      what: 'Account status',
    });
  }
}

describe('the checkpoint writer', () => {
  it('writes one after enough events, and its own events never call for another', async () => {
    const writer = new CheckpointWriter(
      { ...services, onCommitted: (listener) => services.projections.onCommitted(listener) },
      { everyEvents: 4, everyMs: 3_600_000, witness: services.audit.witness, signer: services.audit.signer },
    );
    writer.start();
    try {
      await someHistory(2); // four events
      await vi.waitFor(async () =>
        expect((await services.store.readStream(CHECKPOINT_STREAM)).length).toBeGreaterThanOrEqual(1),
      );
      await writer.stop();
      // A run covers what was committed when it began; whatever came after goes in the next one.
      await writer.writeNow();
      const written = (await services.store.readStream(CHECKPOINT_STREAM)).length;
      // Every event is covered now; the checkpoints themselves never call for another.
      expect(await writer.writeNow()).toBe(0);
      expect(await services.store.readStream(CHECKPOINT_STREAM)).toHaveLength(written);
      expect(await services.audit.verify()).toMatchObject({ ok: true, checkpoints: written });
    } finally {
      await writer.stop();
    }
  });

  it('under steady traffic, one run covers what was committed when it began, then stops', async () => {
    const writer = new CheckpointWriter(
      { ...services, onCommitted: () => () => {} },
      { maxEventsPerCheckpoint: 3, witness: services.audit.witness, signer: services.audit.signer },
    );
    await someHistory(3); // six events: two checkpoints' worth
    let trafficRunning = true;
    const traffic = (async () => {
      for (let i = 0; trafficRunning && i < 500; i++)
        await appendEvent(services, `ledger-t${i % 4}`, 'EntryRecorded', { attempt: i });
    })();
    // Events keep arriving while it writes; it used to chase them, a checkpoint every few events.
    expect(await writer.writeNow()).toBe(2);
    trafficRunning = false;
    await traffic;
    expect(await services.audit.verify()).toMatchObject({ ok: true });
  });

  it('chains checkpoints and covers a large backlog in bounded steps', async () => {
    const writer = new CheckpointWriter(
      { ...services, onCommitted: () => () => {} },
      { maxEventsPerCheckpoint: 3, witness: services.audit.witness, signer: services.audit.signer },
    );
    await someHistory(4); // eight events
    expect(await writer.writeNow()).toBe(3);
    const verification = await services.audit.verify();
    expect(verification).toMatchObject({ ok: true, checkpoints: 3 });
  });
});

describe('replay comparison and the nightly checks', () => {
  it('finds the replayed read models equal to the live ones, then a live row that was edited', async () => {
    await someHistory(3);
    const scratch = mkdtempSync(join(tmpdir(), 'portal-scratch-'));
    try {
      const liveFile = join(dir, 'readmodels.sqlite');
      const same = await replayAndCompare({
        store: services.store,
        liveFile,
        scratchDir: scratch,
        projections: allProjections,
      });
      expect(same.ok).toBe(true);
      expect(same.tables.find((t) => t.table === 'data_access')?.rows).toBe(3);

      services.readDb
        .prepare(
          "UPDATE data_access SET purpose = 'Curiosity' WHERE rowid = (SELECT MIN(rowid) FROM data_access)",
        )
        .run();
      const lines: string[] = [];
      const code = await runAuditCli(
        ['replay'],
        { DATA_DIR: dir, PORTAL_SECRET: TEST_SECRET },
        {
          out: (line) => lines.push(line),
          err: () => {},
        },
      );
      expect(code).toBe(1);
      expect(lines.join('\n')).toMatch(/DIFFERS data_access: 1 rows only live, 1 only replayed/);
    } finally {
      rmSync(scratch, { recursive: true, force: true });
    }
  });

  it('records a passed night, and a failed one loudly', async () => {
    await someHistory(2);
    await services.jobs.runNow(AUDIT_CHECKS_JOB);
    const passed = await services.store.readStream(CHECKS_STREAM);
    expect(passed.map((e) => e.type)).toEqual(['AuditVerificationPassed', 'AuditVerificationPassed']);
    expect(errors).toHaveLength(0);

    // Someone edits an event in the file behind the application's back.
    const file = new Database(join(dir, 'events.sqlite'));
    file
      .prepare(
        `UPDATE events SET data = replace(data, '"attempt":1', '"attempt":7') WHERE stream = 'ledger-p1'`,
      )
      .run();
    file.close();
    await services.jobs.runNow(AUDIT_CHECKS_JOB);
    const failed = (await services.store.readStream(CHECKS_STREAM)).slice(2);
    expect(failed[0]).toMatchObject({ type: 'AuditVerificationFailed', data: { check: 'CHAIN' } });
    expect(failed[0]!.data.firstBrokenPosition).toBeGreaterThan(0);
    expect(errors.some((e) => e.startsWith('AUDIT CHECK FAILED'))).toBe(true);
  });
});
