import type Database from 'better-sqlite3';
import { OPEN_STATUSES } from './application-queries.js';

/** Open applications marked overdue (by the overdue job's ApplicationOverdue), per institution. */
export function overdueByInstitution(db: Database.Database): Array<{ institution: string; count: number }> {
  const marks = OPEN_STATUSES.map(() => '?').join(',');
  return db
    .prepare(
      `SELECT institution, COUNT(*) AS count FROM app_applications WHERE status IN (${marks}) AND overdue_recorded = 1 GROUP BY institution`,
    )
    .all(...OPEN_STATUSES) as Array<{ institution: string; count: number }>;
}

/** The institution of an application this read model holds; null when it holds none by that id. */
export function institutionOfApplication(db: Database.Database, applicationId: string): string | null {
  const row = db.prepare('SELECT institution FROM app_applications WHERE id = ?').get(applicationId) as
    | { institution: string }
    | undefined;
  return row?.institution ?? null;
}
