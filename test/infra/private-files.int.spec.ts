import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

/** Runs `readOrCreatePrivateFile` in a separate process that starts its call at wall-clock `at`. */
function contender(file: string, at: number): Promise<string> {
  const module = resolve('src/infra/private-files.ts');
  const script = `
    const { readOrCreatePrivateFile } = await import(${JSON.stringify(module)});
    while (Date.now() < ${at}) {}
    process.stdout.write(readOrCreatePrivateFile(${JSON.stringify(file)}, () => 'from ' + process.pid));
  `;
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script]);
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      err += chunk.toString();
    });
    child.on('exit', (code) => (code === 0 ? done(out) : fail(new Error(`exit ${code}: ${err}`))));
  });
}

describe('a private file created once by processes that start together', () => {
  it('gives every process the same whole content, leaves one 0600 file and no temporary one', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'portal-once-'));
    dirs.push(dir);
    const file = join(dir, 'nested', 'signing-key.pem');
    // Each process loads first, then all spin until the same instant: their calls truly overlap.
    const at = Date.now() + 3_000;
    const seen = await Promise.all(Array.from({ length: 6 }, () => contender(file, at)));
    expect(new Set(seen).size).toBe(1);
    expect(seen[0]).toMatch(/^from \d+$/);
    expect(readFileSync(file, 'utf8')).toBe(seen[0]);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readdirSync(join(dir, 'nested'))).toEqual(['signing-key.pem']);
  });
});
