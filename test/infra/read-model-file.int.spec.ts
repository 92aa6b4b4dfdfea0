import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { claimReadModelFile, READ_MODEL_FILE } from '../../src/infra/read-model-file.js';

describe('read-model slots under one DATA_DIR', () => {
  const dirs: string[] = [];
  const dir = () => {
    const d = mkdtempSync(join(tmpdir(), 'portal-slots-'));
    dirs.push(d);
    return d;
  };
  afterEach(() => {
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });

  it('gives each holder its own file, the single instance the file it always had', () => {
    const dataDir = dir();
    const first = claimReadModelFile(dataDir);
    const second = claimReadModelFile(dataDir);
    const third = claimReadModelFile(dataDir);
    expect(first.file).toBe(join(dataDir, READ_MODEL_FILE));
    expect([second.file, third.file]).toEqual([
      join(dataDir, 'readmodels-2.sqlite'),
      join(dataDir, 'readmodels-3.sqlite'),
    ]);
    for (const claim of [first, second, third]) claim.release();
  });

  it('a released slot is taken again first, so a restarted instance finds its read models', () => {
    const dataDir = dir();
    const first = claimReadModelFile(dataDir);
    const second = claimReadModelFile(dataDir);
    first.release();
    first.release(); // twice counts once
    const again = claimReadModelFile(dataDir);
    expect(again.slot).toBe(1);
    const third = claimReadModelFile(dataDir);
    expect(third.slot).toBe(3);
    second.release();
    const fourth = claimReadModelFile(dataDir);
    expect(fourth.slot).toBe(2);
    for (const claim of [again, third, fourth]) claim.release();
  });
});
