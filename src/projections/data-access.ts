import type Database from 'better-sqlite3';
import { idOfStream } from '../domain/shared/streams.js';
import type { RecordedEvent } from '../infra/eventstore/port.js';
import type { Projection } from './runner.js';

export interface DataAccessRow {
  position: number;
  account_id: string;
  at: string;
  actor: string;
  role: string;
  purpose: string;
  what: string;
}

/** Each person's data-access log (PersonalDataViewed), for myDataAccess, newest first. */
export function dataAccessProjection(): Projection {
  let insert: Database.Statement;
  return {
    name: 'data-access',
    tables: ['data_access'],
    setup(db) {
      db.exec(`
        CREATE TABLE IF NOT EXISTS data_access (
          position   INTEGER PRIMARY KEY,
          account_id TEXT NOT NULL,
          at         TEXT NOT NULL,
          actor      TEXT NOT NULL,
          role       TEXT NOT NULL,
          purpose    TEXT NOT NULL,
          what       TEXT NOT NULL
        );
        CREATE INDEX IF NOT EXISTS data_access_account ON data_access (account_id, position);
      `);
      insert = db.prepare(
        'INSERT OR REPLACE INTO data_access (position, account_id, at, actor, role, purpose, what) VALUES (?, ?, ?, ?, ?, ?, ?)',
      );
    },
    apply(event: RecordedEvent) {
      const subject = idOfStream(event.stream, 'data-access');
      if (event.type !== 'PersonalDataViewed' || subject === null) return;
      const data = event.data as Record<string, unknown>;
      insert.run(
        event.position,
        subject,
        String(data.occurredAt ?? event.recordedAt.toISOString()),
        String(data.actor ?? ''),
        String(data.role ?? ''),
        String(data.purpose ?? ''),
        String(data.what ?? ''),
      );
    },
  };
}
