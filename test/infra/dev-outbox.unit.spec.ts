import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/infra/clock.js';
import { DevOutbox, OUTBOX_KEPT } from '../../src/infra/notify/dev-outbox.js';

const dirs: string[] = [];
const tempFile = () => {
  const dir = mkdtempSync(join(tmpdir(), 'outbox-test-'));
  dirs.push(dir);
  return join(dir, 'outbox.jsonl');
};
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

const message = (i: number) => ({
  channel: 'SMS' as const,
  to: `+3556900${String(i % 7).padStart(5, '0')}`,
  subject: '',
  body: `code ${i}`,
});

describe('the dev outbox', () => {
  it('keeps the newest OUTBOX_KEPT messages in memory, per recipient too', async () => {
    const outbox = new DevOutbox(new ManualClock());
    for (let i = 0; i < OUTBOX_KEPT + 700; i++) await outbox.send(message(i));
    expect(outbox.list()).toHaveLength(OUTBOX_KEPT);
    expect(outbox.list()[0]!.body).toBe(`code ${OUTBOX_KEPT + 699}`);
    expect(outbox.list().at(-1)!.body).toBe('code 700');
    const perRecipient = Array.from({ length: 7 }, (_, r) => outbox.list(message(r).to).length);
    expect(perRecipient.reduce((a, b) => a + b, 0)).toBe(OUTBOX_KEPT);
  });

  it('writes its file readable by its owner alone, and narrows a file left 0644 by an older version', async () => {
    const file = tempFile();
    const outbox = new DevOutbox(new ManualClock(), file);
    await outbox.send(message(1));
    outbox.close();
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const older = tempFile();
    writeFileSync(older, '', { mode: 0o644 });
    new DevOutbox(new ManualClock(), older).close();
    expect(statSync(older).mode & 0o777).toBe(0o600);
  });
});
