import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runAuditChecks } from '../../src/app/audit/scheduled-checks.js';
import { WITNESS_FILE } from '../../src/app/audit/witness.js';
import { createServices } from '../../src/bootstrap/services.js';
import { runAuditCli } from '../../src/cli/audit.js';
import { CHECKPOINT_STREAM } from '../../src/domain/audit/checkpoint.js';
import { generateAuditKey } from '../../src/infra/audit-signing-key.js';
import { AdjustableClock, ManualClock } from '../../src/infra/clock.js';
import { loadConfig } from '../../src/infra/config.js';
import { appendEvent, TEST_SECRET } from './fixtures.js';
import { eraseStreamAndRehash } from './insider.js';
import { testSigningKey } from './log-builder.js';

/**
 * The attacks of someone who holds DATA_DIR (an operator, a compromised host) but neither the signing
 * key nor the witness directory, each on a copy of one log written by the real services with a
 * signing key and a witness kept outside DATA_DIR, and each checked by `npm run audit -- verify` as an
 * auditor runs it: with the public key and the witness only.
 */
const dirs: string[] = [];
const temporary = (prefix: string) => {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  dirs.push(dir);
  return dir;
};
let pristine: { data: string; witness: string };
let verifyKeys: string;
let signingKeyFile: string;
const at: Record<string, number> = {};
/** The witness as it stood after the first checkpoint, and the app's info lines while writing. */
let firstWitness: string;
const infoLines: Array<{ msg: string | undefined; obj: Record<string, unknown> }> = [];

beforeAll(async () => {
  const secrets = temporary('portal-secrets-');
  const key = generateAuditKey();
  signingKeyFile = join(secrets, 'audit.pem');
  writeFileSync(signingKeyFile, key.pem, { mode: 0o600 });
  verifyKeys = key.verifyEntry;
  pristine = { data: temporary('portal-insider-'), witness: temporary('portal-witness-') };
  const config = loadConfig({
    NODE_ENV: 'test',
    DATA_DIR: pristine.data,
    PORTAL_SECRET: TEST_SECRET,
    AUDIT_SIGNING_KEY_FILE: join(secrets, 'audit.pem'),
    AUDIT_WITNESS_DIR: pristine.witness,
    AUDIT_CHECKPOINT_EVERY_MS: '3600000',
  });
  const services = await createServices(config, {
    clock: new AdjustableClock(new ManualClock()),
    log: {
      info: (obj, msg) => infoLines.push({ msg, obj: obj as Record<string, unknown> }),
      warn() {},
      error() {},
    },
  });
  const step = async (name: string, stream: string, type: string, data: Record<string, unknown>) => {
    at[name] = await appendEvent(services, stream, type, data);
  };
  const checkpoint = async (name: string) => {
    expect(await services.audit.checkpoints.writeNow()).toBe(1);
    at[name] = (await services.store.readStream(CHECKPOINT_STREAM)).at(-1)!.position;
  };
  await step('aOpened', 'ledger-a', 'LedgerOpened', { accountId: 'a' });
  await step('readingOfA', 'data-access-a', 'PersonalDataViewed', { accountId: 'a', what: 'Account' });
  await step('bOpened', 'ledger-b', 'LedgerOpened', { accountId: 'b' });
  await checkpoint('firstCheckpoint');
  firstWitness = readFileSync(join(pristine.witness, WITNESS_FILE), 'utf8');
  await step('aEntry', 'ledger-a', 'EntryRecorded', { attempt: 1 });
  await step('secondReadingOfA', 'data-access-a', 'PersonalDataViewed', { accountId: 'a', what: 'Entry' });
  await step('bEntry', 'ledger-b', 'EntryRecorded', { attempt: 1 });
  await checkpoint('secondCheckpoint');
  await step('newest', 'ledger-b', 'EntryRecorded', { attempt: 2 });
  // A graceful shutdown: its closing checkpoint covers `newest`.
  await services.close();
  at.closingCheckpoint = at.newest! + 1;
});

afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

function copy(edit: (db: Database.Database) => void = () => {}) {
  const data = temporary('portal-insider-copy-');
  const witness = temporary('portal-witness-copy-');
  cpSync(pristine.data, data, { recursive: true });
  cpSync(pristine.witness, witness, { recursive: true });
  const db = new Database(join(data, 'events.sqlite'));
  edit(db);
  db.close();
  return { data, witness };
}

async function auditorVerifies(dir: { data: string; witness: string }, ...flags: string[]) {
  const out: string[] = [];
  const code = await runAuditCli(
    ['verify', ...flags],
    { DATA_DIR: dir.data, AUDIT_WITNESS_DIR: dir.witness, AUDIT_VERIFY_KEYS: verifyKeys },
    { out: (line) => out.push(line), err: () => {} },
  );
  return { code, output: out.join('\n') };
}

const deleteAfter = (position: number) => (db: Database.Database) =>
  db.prepare('DELETE FROM events WHERE position > ?').run(position);

describe('an insider with the data directory, without the key or the witness store', () => {
  it('cannot fault the untouched log: it verifies with the public key and the witness', async () => {
    const result = await auditorVerifies(copy());
    expect(result.output).toContain('OK: 10 events and 3 signed checkpoints');
    expect(result.code).toBe(0);
  });

  it('truncation with the witness deleted: verification fails, and --no-witness says what it skipped', async () => {
    const dir = copy(deleteAfter(at.firstCheckpoint!));
    rmSync(join(dir.witness, WITNESS_FILE));
    const refused = await auditorVerifies(dir);
    expect(refused.code).toBe(1);
    expect(refused.output).toContain('no witness was found');
    const declared = await auditorVerifies(dir, '--no-witness');
    expect(declared.code).toBe(0);
    expect(declared.output).toContain('WITHOUT WITNESS (--no-witness)');
  });

  it('truncation with the witness in place: the witness is newer than the log', async () => {
    const result = await auditorVerifies(copy(deleteAfter(at.firstCheckpoint!)));
    expect(result.code).toBe(1);
    expect(result.output).toMatch(/before the checkpoint witnessed at/);
  });

  it('the newest events removed after a graceful shutdown: the closing checkpoint covered them', async () => {
    // Before the closing checkpoint, `newest` lay beyond the last checkpoint: removing it left no trace.
    const result = await auditorVerifies(copy(deleteAfter(at.secondCheckpoint!)));
    expect(result.code).toBe(1);
    expect(result.output).toContain(`BROKEN at position ${at.newest}`);
    const onlyTheEvent = await auditorVerifies(
      copy((db) => db.prepare('DELETE FROM events WHERE position = ?').run(at.newest)),
    );
    expect(onlyTheEvent.output).toContain(`BROKEN at position ${at.newest}`);
  });

  it('a stream erased and everything after it re-hashed with the public formula: the signature no longer fits', async () => {
    let forged: ReturnType<typeof eraseStreamAndRehash> = null;
    const dir = copy((db) => {
      forged = eraseStreamAndRehash(db, 'data-access-a');
    });
    // The insider also rewrites the witness to match: it still carries the old signature.
    writeFileSync(join(dir.witness, WITNESS_FILE), JSON.stringify(forged));
    const result = await auditorVerifies(dir);
    expect(result.code).toBe(1);
    expect(result.output).toContain(`BROKEN at position ${at.firstCheckpoint}`);
    expect(result.output).toContain("checkpoint 1's signature does not verify");
  });

  it('a checkpoint re-signed with another key: under its own id, or under the operator’s', async () => {
    const insider = testSigningKey();
    const underOwnId = copy((db) => void eraseStreamAndRehash(db, 'data-access-a', insider.signer));
    const own = await auditorVerifies(underOwnId, '--no-witness');
    expect(own.code).toBe(1);
    expect(own.output).toContain(
      `is signed with key ${insider.signer.keyId}, which is not among the verification keys`,
    );
    const operatorId = verifyKeys.slice(0, verifyKeys.indexOf('='));
    const underOperatorId = copy(
      (db) => void eraseStreamAndRehash(db, 'data-access-a', { ...insider.signer, keyId: operatorId }),
    );
    const claimed = await auditorVerifies(underOperatorId, '--no-witness');
    expect(claimed.code).toBe(1);
    expect(claimed.output).toContain(`signature does not verify with key ${operatorId}`);
  });

  it('a witness written without the key is refused', async () => {
    const dir = copy();
    const file = join(dir.witness, WITNESS_FILE);
    const witness = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
    writeFileSync(file, JSON.stringify({ ...witness, signature: Buffer.alloc(64).toString('base64') }));
    const result = await auditorVerifies(dir);
    expect(result.code).toBe(1);
    expect(result.output).toContain("the witness's signature does not verify");
  });

  it('a witness older than the newest checkpoint (a copy that missed the later ones) still verifies', async () => {
    const dir = copy();
    writeFileSync(join(dir.witness, WITNESS_FILE), firstWitness);
    const result = await auditorVerifies(dir);
    expect(result.output).toContain('OK: 10 events and 3 signed checkpoints');
    expect(result.code).toBe(0);
  });
});

describe('the witness as the running services see it', () => {
  it('logs one "audit checkpoint signed" line per checkpoint, carrying the witness', () => {
    const signed = infoLines.filter((line) => line.msg === 'audit checkpoint signed');
    // Two written on request, one on close.
    expect(signed).toHaveLength(3);
    const last = signed.at(-1)!.obj.auditWitness as Record<string, unknown>;
    expect(JSON.parse(readFileSync(join(pristine.witness, WITNESS_FILE), 'utf8'))).toEqual(last);
    expect(
      signed.map((line) => (line.obj.auditWitness as { checkpointPosition: number }).checkpointPosition),
    ).toEqual([at.firstCheckpoint, at.secondCheckpoint, at.closingCheckpoint]);
  });

  it('verifyAuditChain and the nightly check refuse a truncated log whose witness was deleted', async () => {
    const dir = copy(deleteAfter(at.firstCheckpoint!));
    rmSync(join(dir.witness, WITNESS_FILE));
    const services = await createServices(
      loadConfig({
        NODE_ENV: 'test',
        DATA_DIR: dir.data,
        PORTAL_SECRET: TEST_SECRET,
        AUDIT_SIGNING_KEY_FILE: signingKeyFile,
        AUDIT_WITNESS_DIR: dir.witness,
        AUDIT_CHECKPOINT_EVERY_MS: '3600000',
      }),
      { clock: new AdjustableClock(new ManualClock()) },
    );
    try {
      // What the verifyAuditChain resolver and the nightly job (runAuditChecks) both call.
      const verification = await services.audit.verify();
      expect(verification.ok).toBe(false);
      expect(verification.problem).toContain('no witness was found');
      const [chain] = await runAuditChecks(services);
      expect(chain).toMatchObject({ check: 'CHAIN', ok: false });
    } finally {
      await services.audit.stop();
      await services.close();
    }
  });
});
