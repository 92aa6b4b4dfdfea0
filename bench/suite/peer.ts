import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';

const peerDir = join(dirname(fileURLToPath(import.meta.url)), '..', 'peer');

export function peerInstalled(): boolean {
  return (
    existsSync(join(peerDir, 'node_modules', '@event-driven-io', 'emmett-sqlite', 'package.json')) &&
    existsSync(join(peerDir, 'node_modules', 'sqlite3', 'build', 'Release', 'node_sqlite3.node'))
  );
}

/**
 * Installs the peer (bench/peer/package.json) into bench/peer/node_modules on first use, never with the
 * project's own npm ci: its sqlite3 compiles from source here, which takes minutes. Killed after
 * `limitMs`; the output goes to bench/peer/install.log.
 */
export async function installPeer(limitMs: number, progress: (line: string) => void): Promise<string | null> {
  if (peerInstalled()) return null;
  const started = performance.now();
  const log = join(peerDir, 'install.log');
  const child = spawn(
    'sh',
    ['-c', `npm install --no-audit --no-fund --no-save --foreground-scripts > "${log}" 2>&1`],
    { cwd: peerDir, stdio: 'ignore', detached: true },
  );
  const ticker = setInterval(
    () =>
      progress(
        `installing the peer (sqlite3 compiles from source): ${Math.round((performance.now() - started) / 1000)} s`,
      ),
    15_000,
  );
  const timer = setTimeout(() => {
    // The whole group: npm, node-gyp and the compiler it started.
    if (child.pid) process.kill(-child.pid, 'SIGKILL');
  }, limitMs);
  const code = await new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)));
  clearInterval(ticker);
  clearTimeout(timer);
  const seconds = Math.round((performance.now() - started) / 1000);
  if (peerInstalled()) {
    progress(`peer installed in ${seconds} s`);
    return null;
  }
  return code === null
    ? `install killed after ${seconds} s (limit ${limitMs / 1000} s; see bench/peer/install.log)`
    : `install failed with exit code ${code} (see bench/peer/install.log)`;
}

export interface PeerRun {
  writers: number;
  acknowledged: number;
  perSecond: number;
  /** Thrown errors by code (SQLITE_MISUSE, ...). */
  errors: Record<string, number>;
  /** Rows found in the peer's file afterwards. */
  stored: number | null;
  /** Acknowledged appends that are not in the file. */
  lost: number | null;
  /** It did not finish within the limit and was killed. */
  hung: boolean;
  seconds: number;
}

/** Runs bench/peer/appends.mjs in a child process, killed when it overruns `seconds` by `graceMs`. */
export async function runPeer(
  writers: number,
  seconds: number,
  count: number,
  graceMs: number,
): Promise<PeerRun> {
  const dir = mkdtempSync(join(tmpdir(), 'portal-bench-peer-'));
  const file = join(dir, 'peer.sqlite');
  try {
    const child = spawn(
      process.execPath,
      [join(peerDir, 'appends.mjs'), file, String(writers), String(seconds), String(count)],
      { cwd: peerDir, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let last: {
      final: boolean;
      acknowledged: number;
      errors: Record<string, number>;
      seconds: number;
    } | null = null;
    let buffer = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      buffer += chunk.toString('utf8');
      for (let nl = buffer.indexOf('\n'); nl >= 0; nl = buffer.indexOf('\n')) {
        const line = buffer.slice(0, nl);
        buffer = buffer.slice(nl + 1);
        try {
          last = JSON.parse(line);
        } catch {
          // not ours
        }
      }
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr = (stderr + chunk.toString('utf8')).slice(-2000);
    });
    const started = performance.now();
    let hung = false;
    const timer = setTimeout(
      () => {
        hung = true;
        child.kill('SIGKILL');
      },
      seconds * 1000 + graceMs,
    );
    await new Promise<void>((resolve) => child.on('exit', () => resolve()));
    clearTimeout(timer);
    const elapsed = (performance.now() - started) / 1000;
    const seen = last as {
      final: boolean;
      acknowledged: number;
      errors: Record<string, number>;
      seconds: number;
    } | null;
    if (!seen && !hung)
      throw new Error(`the peer failed: ${stderr.trim().split('\n').slice(-3).join(' | ')}`);
    const acknowledged = seen?.acknowledged ?? 0;
    let stored: number | null = null;
    try {
      const db = new Database(file, { readonly: true, fileMustExist: true });
      stored = (db.prepare('SELECT count(*) AS n FROM emt_messages').get() as { n: number }).n;
      db.close();
    } catch {
      stored = null;
    }
    return {
      writers,
      acknowledged,
      perSecond: acknowledged / Math.min(seen?.seconds ?? elapsed, seconds + graceMs / 1000),
      errors: seen?.errors ?? {},
      stored,
      lost: stored === null ? null : Math.max(0, acknowledged - stored),
      hung: hung || !seen?.final,
      seconds: elapsed,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
