import type Database from 'better-sqlite3';
import type { AccountEvent } from '../domain/account/events.js';
import { kindOfStream } from '../domain/shared/streams.js';
import type { RecordedEvent } from '../infra/eventstore/port.js';
import type { Projection } from './runner.js';

/**
 * Lockout status for the helpdesk: counted failures, the lock's end, the last sign-in, per account
 * stream (and per attempts stream of identifiers without an account). A cache rebuilt from the log;
 * sign-in itself never reads it, it decides from the stream.
 */
const SCHEMA = `
CREATE TABLE IF NOT EXISTS lockout_status (
  stream TEXT PRIMARY KEY,
  failed_attempts INTEGER NOT NULL DEFAULT 0,
  last_failure_at TEXT,
  locked_until TEXT,
  last_sign_in_at TEXT,
  position INTEGER NOT NULL
);
`;

export interface LockoutStatusRow {
  failedPasswordAttempts: number;
  locked: boolean;
  lockedUntil: string | null;
  lastSignInAt: string | null;
}

export function lockoutProjection(): Projection {
  /** `columns`: a constant list such as 'failed_attempts, locked_until', one value each. */
  let update: (stream: string, position: number, columns: string, ...values: unknown[]) => void;
  return {
    name: 'lockout',
    tables: ['lockout_status'],
    setup(db) {
      db.exec(SCHEMA);
      // One positional UPSERT per change: named parameters and a second statement cost more than the
      // rest of the rebuild of this read model. Keyed by the constant column list: no object to build
      // and take apart per event.
      const statements = new Map<string, Database.Statement>();
      update = (stream, position, key, ...values) => {
        let statement = statements.get(key);
        if (!statement) {
          const columns = key.split(', ');
          statement = db.prepare(
            `INSERT INTO lockout_status (stream, position${columns.map((c) => `, ${c}`).join('')}) VALUES (?, ?${columns.map(() => ', ?').join('')}) ON CONFLICT (stream) DO UPDATE SET position = excluded.position${columns.map((c) => `, ${c} = excluded.${c}`).join('')}`,
          );
          statements.set(key, statement);
        }
        statement.run(stream, position, ...values);
      };
    },
    apply(recorded: RecordedEvent) {
      const kind = kindOfStream(recorded.stream);
      if (kind !== 'account' && kind !== 'attempts') return;
      const event = { type: recorded.type, data: recorded.data } as AccountEvent;
      const { stream, position } = recorded;
      switch (event.type) {
        case 'PasswordRejected':
          return update(
            stream,
            position,
            'failed_attempts, last_failure_at',
            event.data.countedFailures,
            event.data.rejectedAt,
          );
        case 'AccountLocked':
          // The three failures stay visible as the ones that caused the lock, until it ends; a lock for
          // wrong codes spends the password failures without being caused by them.
          return event.data.reason === 'TOO_MANY_WRONG_CODES'
            ? update(stream, position, 'locked_until, failed_attempts', event.data.lockedUntil, 0)
            : update(stream, position, 'locked_until', event.data.lockedUntil);
        case 'PasswordAccepted':
          return update(stream, position, 'failed_attempts', 0);
        case 'AccountUnlocked':
        case 'PasswordChanged':
        case 'AccountRegistered':
          return update(stream, position, 'failed_attempts, locked_until', 0, null);
        case 'SessionStarted':
          return update(stream, position, 'last_sign_in_at', event.data.startedAt);
        default:
          return;
      }
    },
  };
}

/** The status at `now`: a lock ends by itself, and failures before its end no longer count. */
export function readLockoutStatus(db: Database.Database, stream: string, now: Date): LockoutStatusRow {
  const row = db
    .prepare(
      'SELECT failed_attempts, last_failure_at, locked_until, last_sign_in_at FROM lockout_status WHERE stream = ?',
    )
    .get(stream) as
    | {
        failed_attempts: number;
        last_failure_at: string | null;
        locked_until: string | null;
        last_sign_in_at: string | null;
      }
    | undefined;
  if (!row) return { failedPasswordAttempts: 0, locked: false, lockedUntil: null, lastSignInAt: null };
  const locked = row.locked_until !== null && now.getTime() < Date.parse(row.locked_until);
  const spent =
    !locked &&
    row.locked_until !== null &&
    row.last_failure_at !== null &&
    row.last_failure_at < row.locked_until;
  return {
    failedPasswordAttempts: spent ? 0 : row.failed_attempts,
    locked,
    lockedUntil: locked ? row.locked_until : null,
    lastSignInAt: row.last_sign_in_at,
  };
}
