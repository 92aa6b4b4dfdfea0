// What a fault test checks in the log after the processes stopped: read straight from events.sqlite.
import { spawnSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { applicationStream } from '../../../src/domain/shared/streams.js';

export interface LogFacts {
  /** Streams whose revisions are not exactly 0..n-1 (a half-written or lost append shows here). */
  gappedStreams: string[];
  events: number;
  hasApplication(id: string): boolean;
  /** Events of any stream carrying this correlation id (the request's x-request-id). */
  eventsOfRequest(requestId: string): number;
}

export function readLog(dataDir: string): LogFacts {
  const db = new Database(join(dataDir, 'events.sqlite'), { readonly: true });
  try {
    const gapped = db
      .prepare(
        'SELECT stream FROM events GROUP BY stream HAVING COUNT(*) <> MAX(revision) + 1 OR MIN(revision) <> 0',
      )
      .all() as Array<{ stream: string }>;
    const events = (db.prepare('SELECT COUNT(*) AS n FROM events').get() as { n: number }).n;
    const streams = new Set(
      (db.prepare('SELECT DISTINCT stream FROM events').all() as Array<{ stream: string }>).map(
        (r) => r.stream,
      ),
    );
    const byRequest = new Map<string, number>();
    for (const row of db.prepare('SELECT metadata FROM events').iterate() as Iterable<{ metadata: string }>) {
      const id = (JSON.parse(row.metadata) as { correlationId?: string }).correlationId;
      if (id) byRequest.set(id, (byRequest.get(id) ?? 0) + 1);
    }
    return {
      gappedStreams: gapped.map((r) => r.stream),
      events,
      hasApplication: (id) => streams.has(applicationStream(id)),
      eventsOfRequest: (requestId) => byRequest.get(requestId) ?? 0,
    };
  } finally {
    db.close();
  }
}

/** The data of every event of one type, in the log's order (read after the processes stopped). */
export function eventsOfType<T = Record<string, unknown>>(dataDir: string, type: string): T[] {
  const db = new Database(join(dataDir, 'events.sqlite'), { readonly: true });
  try {
    const rows = db.prepare('SELECT data FROM events WHERE type = ? ORDER BY position').all(type) as Array<{
      data: string;
    }>;
    return rows.map((row) => JSON.parse(row.data) as T);
  } finally {
    db.close();
  }
}

/** `npm run audit -- verify` on the built CLI: exit 0 when every hash chain and checkpoint holds. */
export function verifyChains(dataDir: string): { code: number | null; output: string } {
  const run = spawnSync(process.execPath, [resolve('dist/cli/audit.js'), 'verify'], {
    env: { ...process.env, DATA_DIR: dataDir, NODE_ENV: 'development' },
    encoding: 'utf8',
  });
  return { code: run.status, output: `${run.stdout}${run.stderr}` };
}
