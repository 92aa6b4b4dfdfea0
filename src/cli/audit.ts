/**
 * The auditors' command line, on a data directory (SQLite) or an EventStoreDB URL, as the API runs:
 *
 *   npm run audit -- verify [--witness <file>] [--no-witness] [--read-models] [--json]
 *   npm run audit -- export [--from <time>] [--to <time>] [--out <file>]   (JSON Lines, redacted)
 *   npm run audit -- replay [--scratch <dir>] [--live <read-model file>] [--json]
 *   npm run audit -- keygen --out <file>   (a new Ed25519 signing key; prints its AUDIT_VERIFY_KEYS entry)
 *
 * DATA_DIR (default ./data), EVENTSTORE_URL, AUDIT_VERIFY_KEYS, AUDIT_WITNESS_DIR and REDIS_URL are
 * read from the environment: an auditor needs the public keys and the witness, never the signing key.
 * verify and replay exit 1 when they find a problem, 2 on bad usage. Progress goes to stderr, results
 * to stdout.
 */
import { createWriteStream, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { toAuditEntry } from '../app/audit/audit-entry.js';
import { verifyKeysFor, witnessStoreFor } from '../app/audit/audit-setup.js';
import { replayAndCompare } from '../app/audit/replay-compare.js';
import { verifyStore } from '../app/audit/verify-store.js';
import { occurredAtOf } from '../domain/audit/as-of.js';
import type { Verification } from '../domain/audit/chain-verifier.js';
import { generateAuditKey } from '../infra/audit-signing-key.js';
import { type Config, loadConfig } from '../infra/config.js';
import type { EventStore } from '../infra/eventstore/port.js';
import { openSqliteEventStore } from '../infra/eventstore/sqlite.js';
import { readModelFileOf } from '../infra/read-model-file.js';
import { leaseRedis } from '../infra/redis.js';
import { allProjections } from '../projections/index.js';

export interface CliIo {
  out(line: string): void;
  err(line: string): void;
}

const USAGE =
  'usage: npm run audit -- verify [--witness <file>] [--no-witness] [--read-models] [--json] | export [--from <time>] [--to <time>] [--out <file>] | replay [--scratch <dir>] [--live <file>] [--json] | keygen --out <file>';

class UsageError extends Error {}

function option(args: string[], name: string): string | undefined {
  const at = args.indexOf(`--${name}`);
  if (at === -1) return undefined;
  const value = args[at + 1];
  if (value === undefined || value.startsWith('--')) throw new UsageError(`--${name} needs a value`);
  return value;
}

function instant(args: string[], name: string): Date | undefined {
  const value = option(args, name);
  if (value === undefined) return undefined;
  const at = new Date(value);
  if (Number.isNaN(at.getTime())) throw new UsageError(`--${name}: not a date-time: ${value}`);
  return at;
}

/** Reports progress at most once a second, so a long run shows it is alive without flooding. */
function progress(io: CliIo, label: string) {
  let last = 0;
  return (text: string) => {
    const now = performance.now();
    if (now - last < 1_000) return;
    last = now;
    io.err(`${label}: ${text}`);
  };
}

async function openStore(config: Config): Promise<{ store: EventStore; dataDir: string }> {
  if (config.EVENTSTORE_URL) {
    const { openKurrentEventStore } = await import('../infra/eventstore/kurrentdb.js');
    return { store: await openKurrentEventStore(config.EVENTSTORE_URL), dataDir: config.DATA_DIR };
  }
  const file = join(config.DATA_DIR, 'events.sqlite');
  if (!existsSync(file)) throw new UsageError(`no event log at ${file} (set DATA_DIR or EVENTSTORE_URL)`);
  return { store: openSqliteEventStore({ file }), dataDir: config.DATA_DIR };
}

function printVerification(result: Verification, noWitness: boolean, io: CliIo): void {
  if (result.ok)
    io.out(
      `OK: ${result.checkedEvents} events and ${result.checkpoints} signed checkpoints verified up to position ${result.lastPosition}`,
    );
  else {
    io.out(`BROKEN at position ${result.firstBrokenPosition ?? 'unknown'}: ${result.problem}`);
    io.out(`${result.checkedEvents} events verified before it`);
  }
  if (noWitness && result.witness === 'DECLARED_ABSENT')
    io.out('WITHOUT WITNESS (--no-witness): events removed from the end of the log would go unnoticed');
}

async function verify(
  config: Config,
  production: boolean,
  store: EventStore,
  args: string[],
  io: CliIo,
): Promise<number> {
  const keys = verifyKeysFor(config, null, production);
  if (!keys)
    throw new UsageError('set AUDIT_VERIFY_KEYS (keyId=base64-SPKI, comma-separated) to verify signatures');
  if (!config.AUDIT_VERIFY_KEYS)
    io.err(
      'verifying with the development key kept in DATA_DIR: this proves nothing against whoever holds it',
    );
  const noWitness = args.includes('--no-witness');
  const lease = config.REDIS_URL && !noWitness ? leaseRedis(config.REDIS_URL) : null;
  let result: Verification;
  try {
    const witnesses = witnessStoreFor(config, lease?.redis ?? null, option(args, 'witness'));
    const witness = noWitness ? null : await witnesses.read();
    if (!witness && !noWitness) io.err(`no witness in ${witnesses.where}`);
    const report = progress(io, 'verify');
    result = await verifyStore(store, {
      keys,
      witness,
      noWitness,
      onProgress: (position, checked) => report(`${checked} events checked (position ${position})`),
    });
  } finally {
    await lease?.release();
  }
  const readModels = args.includes('--read-models')
    ? await compareReadModels(store, config.DATA_DIR, args, io)
    : null;
  if (args.includes('--json'))
    io.out(JSON.stringify({ ...result, noWitness, ...(readModels ? { readModels } : {}) }));
  else {
    printVerification(result, noWitness, io);
    if (readModels) printReplay(readModels, io);
  }
  return result.ok && (readModels?.ok ?? true) ? 0 : 1;
}

async function keygen(args: string[], io: CliIo): Promise<number> {
  const out = option(args, 'out');
  if (!out) throw new UsageError('keygen needs --out <file> (outside DATA_DIR)');
  const { pem, verifyEntry } = generateAuditKey();
  writeFileSync(out, pem, { mode: 0o600, flag: 'wx' });
  io.err(`wrote ${out}: set AUDIT_SIGNING_KEY_FILE to it, and give auditors the line below`);
  io.out(`AUDIT_VERIFY_KEYS=${verifyEntry}`);
  return 0;
}

async function exportLog(store: EventStore, args: string[], io: CliIo): Promise<number> {
  const from = instant(args, 'from');
  const to = instant(args, 'to');
  const outFile = option(args, 'out');
  const file = outFile ? createWriteStream(outFile, { mode: 0o600 }) : null;
  const write = (line: string) => (file ? file.write(`${line}\n`) : io.out(line));
  const report = progress(io, 'export');
  let after: number | undefined;
  let exported = 0;
  for (;;) {
    const batch = await store.readAll({ ...(after === undefined ? {} : { after }), maxCount: 2_000 });
    if (batch.length === 0) break;
    for (const event of batch) {
      const at = occurredAtOf(event) ?? event.recordedAt;
      if ((from && at < from) || (to && at >= to)) continue;
      write(JSON.stringify(toAuditEntry(event)));
      exported += 1;
    }
    after = batch[batch.length - 1]!.position;
    report(`${exported} events exported (position ${after})`);
  }
  if (file)
    await new Promise<void>((done, fail) =>
      file.end((error?: Error | null) => (error ? fail(error) : done())),
    );
  io.err(`exported ${exported} events`);
  return 0;
}

type ReplayReport = Awaited<ReturnType<typeof replayAndCompare>>;

/** Rebuilds every read model from the log into a scratch directory and compares it with the live one. */
async function compareReadModels(
  store: EventStore,
  dataDir: string,
  args: string[],
  io: CliIo,
): Promise<ReplayReport> {
  // Several processes on one DATA_DIR each keep a file (src/infra/read-model-file.ts): --live names one.
  const liveFile = option(args, 'live') ?? readModelFileOf(dataDir, 1);
  if (!existsSync(liveFile)) throw new UsageError(`no live read models at ${liveFile}`);
  const given = option(args, 'scratch');
  const scratchDir = given ? resolve(given) : mkdtempSync(join(tmpdir(), 'portal-replay-'));
  const report = progress(io, 'replay');
  try {
    return await replayAndCompare({
      store,
      liveFile,
      scratchDir,
      projections: allProjections,
      onProgress: (position, target) => report(`position ${position} of ${target}`),
    });
  } finally {
    if (!given) rmSync(scratchDir, { recursive: true, force: true });
  }
}

function printReplay(result: ReplayReport, io: CliIo): void {
  io.out(`replayed up to position ${result.position}`);
  for (const table of result.tables) io.out(`  ${table.table}: ${table.rows} rows`);
  for (const difference of result.differences) {
    io.out(
      `DIFFERS ${difference.table}: ${difference.onlyLive} rows only live, ${difference.onlyReplayed} only replayed`,
    );
    for (const sample of difference.samples) io.out(`    ${sample}`);
  }
  io.out(result.ok ? 'OK: every read model equals its replay' : 'DIFFERENCES found');
}

async function replay(store: EventStore, dataDir: string, args: string[], io: CliIo): Promise<number> {
  const result = await compareReadModels(store, dataDir, args, io);
  if (args.includes('--json')) io.out(JSON.stringify(result));
  else printReplay(result, io);
  return result.ok ? 0 : 1;
}

/**
 * The server's configuration minus what only the server needs: an auditor runs this without the
 * signing key or a production sender, so production's requirements are checked in development mode.
 */
function loadConfigForAudit(env: Record<string, string | undefined>): Config {
  return loadConfig({ ...env, NODE_ENV: env.NODE_ENV === 'production' ? 'test' : env.NODE_ENV });
}

export async function runAuditCli(
  argv: string[],
  env: Record<string, string | undefined>,
  io: CliIo,
): Promise<number> {
  const [command, ...args] = argv;
  try {
    if (command === 'keygen') return await keygen(args, io);
    if (command !== 'verify' && command !== 'export' && command !== 'replay') throw new UsageError(USAGE);
    const config = loadConfigForAudit(env);
    const { store, dataDir } = await openStore(config);
    try {
      if (command === 'verify') return await verify(config, env.NODE_ENV === 'production', store, args, io);
      if (command === 'export') return await exportLog(store, args, io);
      return await replay(store, dataDir, args, io);
    } finally {
      await store.close();
    }
  } catch (error) {
    if (error instanceof UsageError) {
      io.err(error.message);
      return 2;
    }
    throw error;
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const code = await runAuditCli(process.argv.slice(2), process.env, {
    out: (line) => process.stdout.write(`${line}\n`),
    err: (line) => process.stderr.write(`${line}\n`),
  });
  process.exitCode = code;
}
