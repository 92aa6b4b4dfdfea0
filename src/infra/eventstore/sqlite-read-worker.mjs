// Reads large batches of the global log on its own thread and read-only connection, so that a replay
// reads the next batch while the main thread applies the current one (WAL lets readers run beside the
// writer). It steps SQLite and hands over the rows' text; the main thread parses it: receiving parsed
// objects costs it as much as parsing (V8's deserializer is no faster than JSON.parse), and parsing
// here too would add that work to the total, which is what counts when the other core is busy.
// Plain JavaScript, loaded from src/ at run time: it then starts the same way under tsx, vitest and
// from the compiled dist/, with no TypeScript loader in the worker.
import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';

const db = new Database(workerData.file, { readonly: true, fileMustExist: true });
db.pragma('busy_timeout = 5000');
const readAll = db
  .prepare(
    'SELECT position, stream, revision, id, type, data, metadata, recorded_at FROM events WHERE position > ? ORDER BY position LIMIT ?',
  )
  .raw();

/**
 * The batch after the last full one, read while the main thread applies that one: a replay asks for
 * it next. Only a full batch is kept: positions are assigned in commit order and events never change,
 * so the next `maxCount` events after a position are the same whenever they are read; a short batch
 * may miss events committed since, and is read again when asked for.
 */
let ahead;

parentPort.on('message', (request) => {
  let rows;
  try {
    rows =
      ahead && ahead.after === request.after && ahead.maxCount === request.maxCount
        ? ahead.rows
        : readAll.all(request.after, request.maxCount);
  } catch (error) {
    // Cloned with its name and message, as a read on the main thread would have thrown it.
    parentPort.postMessage({ id: request.id, error });
    return;
  } finally {
    ahead = undefined;
  }
  parentPort.postMessage({ id: request.id, rows });
  if (rows.length === 0 || rows.length < request.maxCount) return;
  const after = rows[rows.length - 1][0];
  try {
    const next = readAll.all(after, request.maxCount);
    if (next.length === request.maxCount) ahead = { after, maxCount: request.maxCount, rows: next };
  } catch {
    // Read again when asked for, and fail then.
  }
});
