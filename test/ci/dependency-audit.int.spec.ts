import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

/** Runs scripts/dependency-audit.mjs with an `npm` that prints `report` as `npm audit --json` would. */
const folders: string[] = [];
function auditWith(report: unknown) {
  const folder = mkdtempSync(join(tmpdir(), 'fake-npm-'));
  folders.push(folder);
  writeFileSync(join(folder, 'report.json'), JSON.stringify(report));
  writeFileSync(join(folder, 'npm'), `#!/bin/sh\ncat "${join(folder, 'report.json')}"\nexit 1\n`);
  chmodSync(join(folder, 'npm'), 0o755);
  return spawnSync(process.execPath, ['scripts/dependency-audit.mjs'], {
    encoding: 'utf8',
    env: { ...process.env, PATH: `${folder}:${process.env.PATH}` },
  });
}

const findings = (counts: Record<string, number>, vulnerabilities = {}) => ({
  auditReportVersion: 2,
  vulnerabilities,
  metadata: { vulnerabilities: { info: 0, low: 0, moderate: 0, high: 0, critical: 0, ...counts } },
});

describe('the dependency audit of .ci/run', () => {
  afterAll(() => {
    for (const folder of folders) rmSync(folder, { recursive: true, force: true });
  });

  it('says "not checked" and passes when the registry refuses the advisories endpoint', () => {
    const run = auditWith({
      message: '405 Method Not Allowed - POST https://registry.example/-/npm/v1/security/advisories/bulk',
      statusCode: 405,
    });
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('not checked: ');
    expect(run.stdout).toContain('405 Method Not Allowed');
    expect(run.stdout).not.toContain('registry.example');
  });

  it('fails on a high or critical finding, and passes on lesser ones', () => {
    const high = auditWith(findings({ high: 1 }, { 'some-lib': { severity: 'high' } }));
    expect(high.status).toBe(1);
    expect(high.stdout).toContain('high: some-lib');
    expect(auditWith(findings({ critical: 2 })).status).toBe(1);
    const moderate = auditWith(findings({ moderate: 3, low: 1 }));
    expect(moderate.status).toBe(0);
    expect(moderate.stdout).toContain('3 moderate');
  });
});
