/**
 * The auditors' command line, on a data directory (SQLite) or an EventStoreDB URL, as the API runs:
 *
 *   npm run audit -- verify [--witness <file>] [--json]
 *   npm run audit -- export [--from <time>] [--to <time>] [--out <file>]   (JSON Lines, redacted)
 *   npm run audit -- replay [--scratch <dir>] [--live <read-model file>] [--json]
 *
 * DATA_DIR (default ./data) and EVENTSTORE_URL are read from the environment. verify and replay exit 1
 * when they find a problem, 2 on bad usage. Progress goes to stderr, results to stdout.
 */
import { createWriteStream, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { toAuditEntry } from '../app/audit/audit-entry.js';
import { replayAndCompare } from '../app/audit/replay-compare.js';
import { verifyStore } from '../app/audit/verify-store.js';
import { readWitness, witnessPath } from '../app/audit/witness.js';
import { occurredAtOf } from '../domain/audit/as-of.js';
import { loadConfig } from '../infra/config.js';
import type { EventStore } from '../infra/eventstore/port.js';
import { openSqliteEventStore } from '../infra/eventstore/sqlite.js';
import { readModelFileOf } from '../infra/read-model-file.js';
import { allProjections } from '../projections/index.js';

export interface CliIo {
  out(line: string): void;
  err(line: string): void;
}

const USAGE =
  'usage: npm run audit -- verify [--witness <file>] [--json] | export [--from <time>] [--to <time>] [--out <file>] | replay [--scratch <dir>] [--live <file>] [--json]';

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

async function openStore(
  env: Record<string, string | undefined>,
): Promise<{ store: EventStore; dataDir: string }> {
  const config = loadConfig(env);
  if (config.EVENTSTORE_URL) {
    const { openKurrentEventStore } = await import('../infra/eventstore/kurrentdb.js');
    return { store: await openKurrentEventStore(config.EVENTSTORE_URL), dataDir: config.DATA_DIR };
  }
  const file = join(config.DATA_DIR, 'events.sqlite');
  if (!existsSync(file)) throw new UsageError(`no event log at ${file} (set DATA_DIR or EVENTSTORE_URL)`);
  return { store: openSqliteEventStore({ file }), dataDir: config.DATA_DIR };
}

async function verify(store: EventStore, dataDir: string, args: string[], io: CliIo): Promise<number> {
  const witnessFile = option(args, 'witness') ?? witnessPath(dataDir);
  const witness = existsSync(witnessFile) ? readWitness(witnessFile) : null;
  if (!witness) io.err(`no witness at ${witnessFile}: a truncated tail would go unnoticed`);
  const report = progress(io, 'verify');
  const result = await verifyStore(store, {
    witness,
    onProgress: (position, checked) => report(`${checked} events checked (position ${position})`),
  });
  if (args.includes('--json')) io.out(JSON.stringify(result));
  else if (result.ok)
    io.out(
      `OK: ${result.checkedEvents} events and ${result.checkpoints} checkpoints verified up to position ${result.lastPosition}`,
    );
  else {
    io.out(`BROKEN at position ${result.firstBrokenPosition}: ${result.problem}`);
    io.out(`${result.checkedEvents} events verified before it`);
  }
  return result.ok ? 0 : 1;
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

async function replay(store: EventStore, dataDir: string, args: string[], io: CliIo): Promise<number> {
  // Several processes on one DATA_DIR each keep a file (src/infra/read-model-file.ts): --live names one.
  const liveFile = option(args, 'live') ?? readModelFileOf(dataDir, 1);
  if (!existsSync(liveFile)) throw new UsageError(`no live read models at ${liveFile}`);
  const given = option(args, 'scratch');
  const scratchDir = given ? resolve(given) : mkdtempSync(join(tmpdir(), 'portal-replay-'));
  const report = progress(io, 'replay');
  try {
    const result = await replayAndCompare({
      store,
      liveFile,
      scratchDir,
      projections: allProjections,
      onProgress: (position, target) => report(`position ${position} of ${target}`),
    });
    if (args.includes('--json')) io.out(JSON.stringify(result));
    else {
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
    return result.ok ? 0 : 1;
  } finally {
    if (!given) rmSync(scratchDir, { recursive: true, force: true });
  }
}

export async function runAuditCli(
  argv: string[],
  env: Record<string, string | undefined>,
  io: CliIo,
): Promise<number> {
  const [command, ...args] = argv;
  try {
    if (command !== 'verify' && command !== 'export' && command !== 'replay') throw new UsageError(USAGE);
    const { store, dataDir } = await openStore(env);
    try {
      if (command === 'verify') return await verify(store, dataDir, args, io);
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
