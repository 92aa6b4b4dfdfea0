import type Database from 'better-sqlite3';

/**
 * One prepared statement per database and SQL text. Preparing is a parse and plan by SQLite on every
 * call (5% of the server's CPU under GraphQL reads, measured with --cpu-prof); a statement kept is
 * re-planned by SQLite itself when the schema changes under it (a rebuild).
 */
const cache = new WeakMap<Database.Database, Map<string, Database.Statement>>();

export function prepared(db: Database.Database, sql: string): Database.Statement {
  let statements = cache.get(db);
  if (!statements) {
    statements = new Map();
    cache.set(db, statements);
  }
  let statement = statements.get(sql);
  if (!statement) {
    statement = db.prepare(sql);
    statements.set(sql, statement);
  }
  return statement;
}
