// Reads large batches of the global log on its own thread and read-only connection, so that a replay
// reads and parses the next batch while the main thread applies the current one (WAL lets readers
// run beside the writer). Plain JavaScript, loaded from src/ at run time: it then starts the same way
// under tsx, vitest and from the compiled dist/, with no TypeScript loader in the worker.
import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';

const db = new Database(workerData.file, { readonly: true, fileMustExist: true });
db.pragma('busy_timeout = 5000');
const readAll = db
  .prepare(
    'SELECT position, stream, revision, id, type, data, metadata, recorded_at FROM events WHERE position > ? ORDER BY position LIMIT ?',
  )
  .raw();

parentPort.on('message', (request) => {
  try {
    const rows = readAll.all(request.after, request.maxCount);
    // Parsed here, off the main thread; the main thread pays only for receiving the objects.
    const events = new Array(rows.length);
    for (let i = 0; i < rows.length; i++) {
      const row = rows[i];
      events[i] = {
        id: row[3],
        stream: row[1],
        revision: row[2],
        position: row[0],
        type: row[4],
        data: JSON.parse(row[5]),
        metadata: JSON.parse(row[6]),
        recordedAt: new Date(row[7]),
      };
    }
    parentPort.postMessage({ id: request.id, events });
  } catch (error) {
    // Errors are cloned with their name and message (a SyntaxError stays one), as a read on the main
    // thread would have thrown them.
    parentPort.postMessage({ id: request.id, error });
  }
});
