import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';

/** Runs the auditors' replay on one read-model file: exit 0 when it equals a rebuild from the log. */
export function replayEquals(dataDir: string, liveFile: string): { code: number | null; output: string } {
  const run = spawnSync(process.execPath, [resolve('dist/cli/audit.js'), 'replay', '--live', liveFile], {
    env: { ...process.env, DATA_DIR: dataDir, NODE_ENV: 'development' },
    encoding: 'utf8',
  });
  return { code: run.status, output: `${run.stdout}${run.stderr}` };
}
