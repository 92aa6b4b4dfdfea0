import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { EventStore, RecordedEvent } from '../../infra/eventstore/port.js';
import type { Projection } from '../../projections/runner.js';

export interface TableDifference {
  table: string;
  onlyLive: number;
  onlyReplayed: number;
  /** A few differing rows of each side, as JSON, for the report. */
  samples: string[];
}

export interface ReplayReport {
  ok: boolean;
  /** The live read models' checkpoint: the replay stops exactly there, so both sides saw the same log. */
  position: number;
  tables: Array<{ table: string; rows: number }>;
  differences: TableDifference[];
}

export interface ReplayOptions {
  store: EventStore;
  /** The live read-model file (readmodels.sqlite) to compare with; opened read-only. */
  liveFile: string;
  /** An empty scratch directory: the replayed read models are built there. */
  scratchDir: string;
  projections(): Projection[];
  onProgress?(position: number, livePosition: number): void;
}

const quoted = (name: string) => `"${name.replaceAll('"', '""')}"`;
const BATCH = 2_000;
const ATTEMPTS = 20;

/** Folds the log into fresh tables of its own connection, from where it stopped up to a position. */
class ScratchReplay {
  readonly db: Database.Database;
  private readonly projections: Projection[];
  private readonly applyBatch: (events: RecordedEvent[]) => void;
  position = 0;

  constructor(file: string, projections: Projection[]) {
    this.db = new Database(file);
    // A scratch copy: if the machine stops, it is simply built again.
    this.db.pragma('journal_mode = OFF');
    this.db.pragma('synchronous = OFF');
    this.projections = projections;
    for (const projection of projections) projection.setup(this.db);
    this.applyBatch = this.db.transaction((events: RecordedEvent[]) => {
      for (const event of events) for (const projection of this.projections) projection.apply(event);
    });
  }

  async foldUpTo(store: EventStore, bound: number, onProgress?: (position: number) => void): Promise<void> {
    while (this.position < bound) {
      const batch = await store.readAll({ after: this.position, maxCount: BATCH });
      const within = batch.filter((event) => event.position <= bound);
      if (within.length > 0) this.applyBatch(within);
      if (within.length < batch.length || batch.length === 0) {
        this.position = bound;
        return;
      }
      this.position = within[within.length - 1]!.position;
      onProgress?.(this.position);
    }
  }
}

function livePosition(live: Database.Database): number {
  const row = live.prepare('SELECT position FROM main.projection_checkpoint').get() as
    | { position: number }
    | undefined;
  return row?.position ?? 0;
}

/**
 * Rebuilds every read model from zero into the scratch directory and compares each table, row for row,
 * with the live one. The replay stops exactly at the live checkpoint; the comparison runs in one read
 * transaction of the live file (a snapshot: WAL keeps it steady while the app goes on writing), and if
 * the live models moved on meanwhile, the replay catches up to them and compares again.
 */
export async function replayAndCompare(options: ReplayOptions): Promise<ReplayReport> {
  const scratchFile = join(options.scratchDir, 'replayed.sqlite');
  const projections = options.projections();
  const scratch = new ScratchReplay(scratchFile, projections);
  const live = new Database(options.liveFile, { readonly: true, fileMustExist: true });
  try {
    // Read-only connection: the scratch file attached to it is read-only too, and so is the live file.
    live.prepare('ATTACH DATABASE ? AS replayed').run(scratchFile);
    for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
      const target = livePosition(live);
      await scratch.foldUpTo(options.store, target, (at) => options.onProgress?.(at, target));
      live.exec('BEGIN');
      try {
        if (livePosition(live) !== target) continue;
        return compareAll(live, projections, target);
      } finally {
        live.exec('COMMIT');
      }
    }
    throw new Error(`the live read models kept moving during ${ATTEMPTS} attempts; try again`);
  } finally {
    live.close();
    scratch.db.close();
  }
}

function compareAll(live: Database.Database, projections: Projection[], position: number): ReplayReport {
  const report: ReplayReport = { ok: true, position, tables: [], differences: [] };
  for (const table of projections.flatMap((projection) => projection.tables)) {
    const difference = compareTable(live, table);
    report.tables.push({ table, rows: countRows(live, `replayed.${quoted(table)}`) });
    if (difference) report.differences.push(difference);
  }
  report.ok = report.differences.length === 0;
  return report;
}

function countRows(db: Database.Database, table: string): number {
  return (db.prepare(`SELECT COUNT(*) AS n FROM ${table}`).get() as { n: number }).n;
}

function compareTable(live: Database.Database, table: string): TableDifference | null {
  const liveTable = `main.${quoted(table)}`;
  const replayedTable = `replayed.${quoted(table)}`;
  const exists = live
    .prepare("SELECT COUNT(*) AS n FROM main.sqlite_master WHERE type = 'table' AND name = ?")
    .get(table) as { n: number };
  if (exists.n === 0)
    return {
      table,
      onlyLive: 0,
      onlyReplayed: countRows(live, replayedTable),
      samples: ['live table missing'],
    };
  const onlyLive = `SELECT * FROM ${liveTable} EXCEPT SELECT * FROM ${replayedTable}`;
  const onlyReplayed = `SELECT * FROM ${replayedTable} EXCEPT SELECT * FROM ${liveTable}`;
  const liveCount = countRows(live, `(${onlyLive})`);
  const replayedCount = countRows(live, `(${onlyReplayed})`);
  if (liveCount === 0 && replayedCount === 0) return null;
  const samples = [
    ...live
      .prepare(`${onlyLive} LIMIT 3`)
      .all()
      .map((row) => `live only: ${JSON.stringify(row)}`),
    ...live
      .prepare(`${onlyReplayed} LIMIT 3`)
      .all()
      .map((row) => `replayed only: ${JSON.stringify(row)}`),
  ];
  return { table, onlyLive: liveCount, onlyReplayed: replayedCount, samples };
}
