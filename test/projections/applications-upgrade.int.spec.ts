import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type EventToAppend, type JsonObject, NO_STREAM } from '../../src/infra/eventstore/port.js';
import { openSqliteEventStore, type SqliteEventStore } from '../../src/infra/eventstore/sqlite.js';
import { applicationView } from '../../src/projections/application-queries.js';
import { applicationsProjection } from '../../src/projections/applications.js';
import { ProjectionRunner } from '../../src/projections/runner.js';

const at = (minute: number) => new Date(Date.UTC(2026, 10, 27, 8, minute)).toISOString();
const actor = (kind: string, role: string, display: string) => ({ actor: { kind, role, display } });

/**
 * Version 2 of the applications read model keeps each step's actor kind and role. A read model
 * written by version 1 has no columns for them: the server must still start on that file, and
 * rebuild it from the log, rather than fail preparing its statements.
 */
describe('the applications read model of version 1, met by version 2', () => {
  let dir: string;
  let store: SqliteEventStore;
  let db: Database.Database;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'applications-upgrade-'));
    store = openSqliteEventStore({ file: join(dir, 'events.sqlite'), durable: false });
    db = new Database(join(dir, 'read.sqlite'));
    const event = (type: string, data: JsonObject, metadata: JsonObject): EventToAppend => ({
      id: randomUUID(),
      type,
      data,
      metadata,
    });
    await store.append(
      'application-a1',
      [
        event(
          'ApplicationSubmitted',
          {
            applicationId: 'a1',
            serviceId: 'DPGJC-PERSONAL-CERTIFICATE',
            institution: 'DPGJC',
            applicant: { kind: 'CITIZEN', accountId: 'acc-1' },
            submittedAt: at(0),
            dueAt: at(60),
            personal: { applicant: { displayName: 'Arben Hoxha', identifier: 'J00101999W' } },
          },
          actor('PERSON', 'CITIZEN', 'Applicant'),
        ),
        event(
          'ApplicationAssigned',
          { applicationId: 'a1', assignee: 'Caseworker, DPGJC', assigneeAccountId: 'w1', assignedAt: at(1) },
          actor('STAFF', 'CASEWORKER', 'Caseworker, DPGJC'),
        ),
      ],
      NO_STREAM,
    );
  });

  afterEach(async () => {
    await store.close();
    db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('adds the missing columns, rebuilds from the log and names who acted', async () => {
    const first = new ProjectionRunner(db, store, [applicationsProjection()]);
    await first.start();
    await first.stop();
    // What version 1 left: no actor kind or role, and its version recorded.
    db.exec(
      'ALTER TABLE app_timeline DROP COLUMN actor_kind; ALTER TABLE app_timeline DROP COLUMN actor_role',
    );
    db.prepare("UPDATE projection_version SET version = 1 WHERE name = 'applications'").run();

    const upgraded = new ProjectionRunner(db, store, [applicationsProjection()]);
    expect(upgraded.outdated()).toEqual(['applications']);
    await upgraded.start();
    await upgraded.stop();

    const view = applicationView(db, 'a1');
    expect(view?.timeline.map((step) => [step.actor, step.actedBy])).toEqual([
      ['Applicant', { kind: 'PERSON', role: 'CITIZEN', institution: null }],
      ['Caseworker, DPGJC', { kind: 'STAFF', role: 'CASEWORKER', institution: 'DPGJC' }],
    ]);
    expect(view?.assignedTo).toEqual({ kind: 'STAFF', role: 'CASEWORKER', institution: 'DPGJC' });
  });
});
