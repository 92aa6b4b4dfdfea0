/**
 * Rebuilding every read model from the log, beside reading and parsing the same rows.
 *
 *   npm run bench -- replay [--events=1000000]
 *
 * Generates a SQLite event log of the store's own schema with direct batched inserts (realistic
 * shapes: sign-ins with codes and sessions, applications through review to a decision, staff readings
 * in data-access streams, with hash-chain metadata), then measures in the same run:
 *  - baseline: a plain loop that reads the rows in batches of 2,000 and JSON-parses data and metadata
 *    (what any replay must at least do); the faster of one run before and one after the rebuild;
 *  - rebuild: ProjectionRunner.rebuild() of allProjections() into a fresh read-model file, as
 *    `npm run audit -- replay` and a new API instance do.
 * Figure: rebuild events/s as a share of the baseline's (goal: at least 60%, issue 16).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { openSqliteEventStore } from '../src/infra/eventstore/sqlite.js';
import { allProjections } from '../src/projections/index.js';
import { ProjectionRunner } from '../src/projections/runner.js';
import { numberOption } from './_options.js';

const hex = (n: number, salt: string) => `${salt}${n.toString(16)}`.padStart(64, '0');
const iso = (ms: number) => new Date(ms).toISOString();

export interface Row {
  stream: string;
  type: string;
  data: Record<string, unknown>;
  actor: Record<string, unknown>;
}

/** One person's share of the log: about ten events across four streams. */
export function personHistory(p: number, at: number): Row[] {
  const id = hex(p, 'a').slice(32);
  const account = `account-${id}`;
  const app = `application-${hex(p, 'b').slice(32)}`;
  const person = { kind: 'PERSON', accountId: id };
  const staff = { kind: 'STAFF', role: 'CASEWORKER', display: 'Caseworker, DPGJC' };
  const occurredAt = iso(at);
  return [
    {
      stream: account,
      type: 'AccountRegistered',
      actor: person,
      data: {
        accountId: id,
        kind: 'CITIZEN',
        passwordHash: `$argon2id$v=19$m=19456,t=2,p=1$${hex(p, 's').slice(40)}`,
        occurredAt,
        personal: {
          email: `p${p}@example.al`,
          phone: `+35569${String(p).padStart(7, '0')}`,
          displayName: `Person ${p}`,
        },
      },
    },
    {
      stream: account,
      type: 'OtpIssued',
      actor: person,
      data: {
        challengeId: hex(p, 'c').slice(32),
        purpose: 'REGISTRATION',
        channels: ['SMS', 'EMAIL'],
        codeHash: hex(p, 'h'),
        expiresAt: iso(at + 600_000),
        occurredAt,
      },
    },
    {
      stream: account,
      type: 'OtpVerified',
      actor: person,
      data: { challengeId: hex(p, 'c').slice(32), occurredAt },
    },
    {
      stream: account,
      type: 'PasswordRejected',
      actor: person,
      data: { countedFailures: 1, rejectedAt: occurredAt, occurredAt },
    },
    {
      stream: account,
      type: 'SessionStarted',
      actor: person,
      data: { sessionId: hex(p, 'e'), startedAt: occurredAt, expiresAt: iso(at + 3_600_000), occurredAt },
    },
    {
      stream: app,
      type: 'ApplicationSubmitted',
      actor: person,
      data: {
        applicationId: app.slice(12),
        serviceId: 'birth-certificate',
        institution: 'DPGJC',
        applicant: { kind: 'CITIZEN', accountId: id },
        submittedAt: occurredAt,
        dueAt: iso(at + 5 * 86_400_000),
        personal: {
          applicant: { displayName: `Person ${p}`, identifier: `J00${p}` },
          formData: { purpose: 'School', copies: 2 },
        },
      },
    },
    {
      stream: app,
      type: 'ApplicationAssigned',
      actor: staff,
      data: {
        applicationId: app.slice(12),
        assignee: 'Caseworker, DPGJC',
        assigneeAccountId: hex(7, 'w').slice(32),
        assignedAt: occurredAt,
      },
    },
    {
      stream: `data-access-${id}`,
      type: 'PersonalDataViewed',
      actor: staff,
      data: {
        accountId: id,
        actor: 'Arben Hoxha',
        role: 'CASEWORKER',
        purpose: 'Handling an application',
        what: 'Application',
        occurredAt,
      },
    },
    {
      stream: app,
      type: 'ApplicationApproved',
      actor: staff,
      data: { applicationId: app.slice(12), approvedAt: occurredAt, note: 'Issued' },
    },
    { stream: account, type: 'SessionEnded', actor: person, data: { sessionId: hex(p, 'e'), occurredAt } },
  ];
}

export function generate(file: string, count: number): void {
  const store = openSqliteEventStore({ file, durable: false });
  void store.close();
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = OFF');
  const insert = db.prepare(
    'INSERT INTO events (stream, revision, id, type, data, metadata, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
  );
  const revisions = new Map<string, number>();
  const insertMany = db.transaction((rows: Row[], start: number) => {
    rows.forEach((row, i) => {
      const revision = (revisions.get(row.stream) ?? -1) + 1;
      revisions.set(row.stream, revision);
      const n = start + i;
      const metadata = {
        actor: row.actor,
        correlationId: hex(n, 'k').slice(28),
        ip: '192.0.2.10',
        prevHash: hex(n - 1, 'f'),
        hash: hex(n, 'f'),
        personalDigest: row.data.personal === undefined ? null : hex(n, 'd'),
      };
      insert.run(
        row.stream,
        revision,
        hex(n, 'i').slice(28),
        row.type,
        JSON.stringify(row.data),
        JSON.stringify(metadata),
        1_790_000_000_000 + n,
      );
    });
  });
  let written = 0;
  let person = 0;
  let batch: Row[] = [];
  while (written < count) {
    const history = personHistory(person, 1_790_000_000_000 + person * 1_000).slice(0, count - written);
    batch.push(...history);
    written += history.length;
    person += 1;
    if (batch.length >= 10_000 || written >= count) {
      insertMany(batch, written - batch.length);
      // Streams of finished persons are never written again: keep the map small.
      if (revisions.size > 50_000) revisions.clear();
      batch = [];
    }
  }
  db.close();
}

export function baseline(file: string): number {
  const store = openSqliteEventStore({ file, durable: false });
  const started = performance.now();
  let after = 0;
  let parsed = 0;
  for (;;) {
    const rows = store.readAllRows(after, 2_000);
    if (rows.length === 0) break;
    for (const row of rows) {
      const data = JSON.parse(row.data);
      const metadata = JSON.parse(row.metadata);
      if (data && metadata) parsed += 1;
    }
    after = rows[rows.length - 1]!.position;
  }
  const seconds = (performance.now() - started) / 1000;
  void store.close();
  return parsed / seconds;
}

export async function rebuild(file: string, dir: string, count: number): Promise<number> {
  const store = openSqliteEventStore({ file, durable: false });
  const readDb = new Database(join(dir, 'readmodels.sqlite'));
  readDb.pragma('journal_mode = WAL');
  readDb.pragma('synchronous = NORMAL');
  const runner = new ProjectionRunner(readDb, store, allProjections());
  const started = performance.now();
  let shown = 0;
  await runner.rebuild((position) => {
    if (position - shown >= 200_000) {
      shown = position;
      process.stderr.write(`  rebuild: ${position} events\n`);
    }
  });
  const seconds = (performance.now() - started) / 1000;
  readDb.close();
  await store.close();
  return count / seconds;
}

export async function main(args: string[]): Promise<void> {
  const count = numberOption(args, 'events', 1_000_000, { integer: true });
  const dir = mkdtempSync(join(tmpdir(), 'portal-bench-replay-'));
  try {
    const file = join(dir, 'events.sqlite');
    const generating = performance.now();
    generate(file, count);
    console.log(`generated ${count} events in ${((performance.now() - generating) / 1000).toFixed(1)} s`);
    const before = baseline(file);
    const rebuilt = await rebuild(file, dir, count);
    const after = baseline(file);
    const plain = Math.max(before, after);
    console.log(`baseline (read + parse rows):      ${Math.round(plain).toLocaleString('en')} events/s`);
    console.log(`rebuild of all read models:        ${Math.round(rebuilt).toLocaleString('en')} events/s`);
    console.log(`ratio rebuild/baseline:            ${((rebuilt / plain) * 100).toFixed(1)}% (goal >= 60%)`);
  } finally {
    if (!process.env.KEEP_BENCH) rmSync(dir, { recursive: true, force: true });
    else console.log(dir);
  }
}
