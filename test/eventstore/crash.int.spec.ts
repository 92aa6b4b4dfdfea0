/**
 * Crash safety of the SQLite adapter: a child process appends (group commit, single and multi-event
 * appends) and is killed with SIGKILL mid-run; the reopened file must hold every acknowledged event,
 * dense revisions per stream, and no half-written append. Three kills, on the same file.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import type { RecordedEvent } from '../../src/infra/eventstore/port.js';
import { openSqliteEventStore } from '../../src/infra/eventstore/sqlite.js';
import type { Ack } from './crash-child.js';

const child = join(dirname(fileURLToPath(import.meta.url)), 'crash-child.ts');

/** Runs the child until it has acknowledged `killAfter` events, kills it, returns every complete ack line. */
function runAndKill(file: string, run: string, killAfter: number): Promise<Ack[]> {
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, ['--import', 'tsx', child, file, run], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const acks: Ack[] = [];
    let partial = '';
    let stderr = '';
    let killed = false;
    proc.stdout.setEncoding('utf8');
    proc.stdout.on('data', (chunk: string) => {
      const lines = (partial + chunk).split('\n');
      // A line cut short by the kill is not an acknowledgement.
      partial = lines.pop()!;
      for (const line of lines) acks.push(JSON.parse(line) as Ack);
      if (!killed && acks.length >= killAfter) {
        killed = true;
        proc.kill('SIGKILL');
      }
    });
    proc.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    proc.on('error', reject);
    proc.on('close', (code, signal) => {
      if (signal === 'SIGKILL' && killed) resolve(acks);
      else reject(new Error(`child ended by itself (code ${code}, signal ${signal}): ${stderr}`));
    });
  });
}

/** Checks the file's integrity and reads it back through a fresh store. */
function reopen(file: string): Promise<RecordedEvent[]> {
  const db = new Database(file);
  try {
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
  } finally {
    db.close();
  }
  const store = openSqliteEventStore({ file });
  return store.readAll().finally(() => store.close());
}

describe('SQLite event store survives SIGKILL', () => {
  const dirs: string[] = [];
  afterAll(async () => {
    for (const dir of dirs) await rm(dir, { recursive: true, force: true });
  });

  it('keeps every acknowledged event, dense revisions and whole appends, across 3 kills', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'portal-crash-'));
    dirs.push(dir);
    const file = join(dir, 'events.sqlite');
    const acked: Ack[] = [];

    for (let run = 0; run < 3; run++) {
      // Vary the moment of the kill so it lands at different points of a transaction.
      acked.push(...(await runAndKill(file, `r${run}`, 300 + run * 137)));
      const all = await reopen(file);

      // Every acknowledged event is there, where the acknowledgement said.
      const byId = new Map(all.map((e) => [e.id, e]));
      for (const ack of acked) {
        const found = byId.get(ack.id);
        expect(found, `acknowledged event ${ack.id} lost`).toBeDefined();
        expect({ stream: found!.stream, revision: found!.revision }).toEqual({
          stream: ack.stream,
          revision: ack.revision,
        });
        if (ack.position !== null) expect(found!.position).toBe(ack.position);
      }

      // Global order and dense revisions per stream.
      for (let i = 1; i < all.length; i++) expect(all[i]!.position).toBeGreaterThan(all[i - 1]!.position);
      const revisions = new Map<string, number[]>();
      for (const e of all) revisions.set(e.stream, [...(revisions.get(e.stream) ?? []), e.revision]);
      for (const [stream, revs] of revisions) {
        expect(revs, stream).toEqual(revs.map((_, i) => i));
      }

      // Appends are all or nothing, acknowledged or not: each append's events are all there, in a row.
      const appends = new Map<string, RecordedEvent[]>();
      for (const e of all) {
        const appendId = e.data.appendId as string;
        appends.set(appendId, [...(appends.get(appendId) ?? []), e]);
      }
      for (const [appendId, events] of appends) {
        const size = events[0]!.data.size as number;
        expect(events.length, `append ${appendId}`).toBe(size);
        expect(events.map((e) => e.data.index)).toEqual(events.map((_, i) => i));
        expect(new Set(events.map((e) => e.stream)).size).toBe(1);
        expect(events.map((e) => e.revision - events[0]!.revision)).toEqual(events.map((_, i) => i));
      }
      console.log(`[crash] run ${run}: ${acked.length} acknowledged, ${all.length} in the file`);
    }
    expect(acked.length).toBeGreaterThanOrEqual(300 + 437 + 574);
  }, 60_000);
});
