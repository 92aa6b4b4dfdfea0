import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';

describe('start-up', () => {
  it('stops with one line naming the variable when the configuration is bad', () => {
    const result = spawnSync(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
      env: { ...process.env, PORT: 'not-a-port', LOG_LEVEL: 'silent' },
      encoding: 'utf8',
      timeout: 20_000,
    });
    expect(result.status).toBe(1);
    const lines = result.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain('PORT');
  });
});

describe('graceful shutdown', () => {
  it('finishes on SIGTERM with exit code 0 after serving', async () => {
    const { spawn } = await import('node:child_process');
    const { mkdtempSync, rmSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const dataDir = mkdtempSync(join(tmpdir(), 'portal-start-'));
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
      env: { ...process.env, PORT: '0', DATA_DIR: dataDir, LOG_LEVEL: 'info', DEV_TOOLS: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    // 1. Wait for the log line that names the address (PORT=0 picks a free one).
    const url = await new Promise<string>((resolve, reject) => {
      let buffer = '';
      child.stdout.on('data', (chunk: Buffer) => {
        buffer += chunk.toString();
        const match = buffer.match(/Server listening at (http:\/\/127\.0\.0\.1:\d+)/);
        if (match) resolve(match[1]!);
      });
      child.on('exit', (code) => reject(new Error(`exited early with ${code}`)));
    });
    // 2. It serves.
    expect((await fetch(`${url}/health`)).status).toBe(200);
    // 3. SIGTERM: it stops accepting, closes the store and exits cleanly.
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    rmSync(dataDir, { recursive: true, force: true });
  });
});
