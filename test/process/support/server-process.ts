// Starts the built server (`dist/main.js`) as a real child process and waits until it listens.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export interface ServerProcess {
  readonly url: string;
  readonly child: ChildProcess;
  readonly dataDir: string;
  /** Everything the process wrote to stdout and stderr so far (its JSON log lines). */
  output(): string;
  /** Sends a signal and resolves with the exit code (null when killed by the signal). */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

export function tempDataDir(prefix = 'portal-proc-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

export async function startServer(env: Record<string, string> = {}): Promise<ServerProcess> {
  const dataDir = env.DATA_DIR ?? tempDataDir();
  const child = spawn(process.execPath, [resolve('dist/main.js')], {
    env: {
      ...process.env,
      NODE_ENV: 'development',
      DEV_TOOLS: '1',
      PORT: '0',
      HOST: '127.0.0.1',
      LOG_LEVEL: 'info',
      ...env,
      DATA_DIR: dataDir,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let log = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    log += chunk.toString();
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    log += chunk.toString();
  });
  const exited = new Promise<number | null>((done) => child.on('exit', (code) => done(code)));
  const url = await new Promise<string>((done, fail) => {
    const timer = setInterval(() => {
      const match = log.match(/Server listening at (http:\/\/127\.0\.0\.1:\d+)/);
      if (match) {
        clearInterval(timer);
        done(match[1]!);
      }
    }, 20);
    void exited.then((code) => {
      clearInterval(timer);
      fail(new Error(`server exited with ${code} before listening:\n${log}`));
    });
  });
  return {
    url,
    child,
    dataDir,
    output: () => log,
    stop: async (signal = 'SIGTERM') => {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
}

/**
 * Starts several servers together (as an orchestrator would). When one fails to start, the others are
 * killed before the error is thrown: left running, they would outlive the test run.
 */
export async function startServers(envs: Array<Record<string, string>>): Promise<ServerProcess[]> {
  const started = await Promise.allSettled(envs.map((env) => startServer(env)));
  const failed = started.find((s): s is PromiseRejectedResult => s.status === 'rejected');
  if (!failed) return started.map((s) => (s as PromiseFulfilledResult<ServerProcess>).value);
  for (const s of started) if (s.status === 'fulfilled') await s.value.stop('SIGKILL');
  throw failed.reason;
}
