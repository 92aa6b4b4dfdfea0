import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';

/**
 * Which read-model file an instance folds into. Read models are a cache of one instance (a mutation
 * answers once *this* instance's read models hold its events, and subscriptions publish from this
 * instance's fold), so two processes started with the same environment on one DATA_DIR must not
 * both write one file: each claims a slot, `readmodels.sqlite` first (the file of a single instance,
 * as before), then `readmodels-2.sqlite`, `readmodels-3.sqlite`, ...
 *
 * A slot is held by an exclusive SQLite lock on its `.lock` file for the life of the process. The
 * operating system drops that lock when the process ends in any way (SIGKILL included), so a
 * restarted instance takes a free slot again, usually its own, and catches up from that file's
 * checkpoint instead of rebuilding from zero. No variable to set: an operator starting a second
 * process on the same directory gets the next slot.
 */
export const READ_MODEL_FILE = 'readmodels.sqlite';

/** More processes than this on one DATA_DIR is a mistake, not a deployment. */
const MAX_SLOTS = 64;

export function readModelFileOf(dataDir: string, slot: number): string {
  return join(dataDir, slot === 1 ? READ_MODEL_FILE : `readmodels-${slot}.sqlite`);
}

export interface ReadModelClaim {
  /** The read-model file this process owns until release. */
  readonly file: string;
  readonly slot: number;
  release(): void;
}

/** Claims the first free slot under DATA_DIR; throws when all MAX_SLOTS are held. */
export function claimReadModelFile(dataDir: string): ReadModelClaim {
  mkdirSync(dataDir, { recursive: true });
  for (let slot = 1; slot <= MAX_SLOTS; slot += 1) {
    const file = readModelFileOf(dataDir, slot);
    const lock = tryLock(`${file}.lock`);
    if (lock) {
      let released = false;
      return {
        file,
        slot,
        release() {
          if (released) return;
          released = true;
          lock.close();
        },
      };
    }
  }
  throw new Error(`all ${MAX_SLOTS} read-model slots under ${dataDir} are held by running processes`);
}

/**
 * An exclusive lock on a small SQLite file, or null when another connection (in this process or
 * another) holds it. locking_mode=EXCLUSIVE keeps the write lock after the first write until the
 * connection closes; journal_mode=MEMORY leaves no journal behind a killed holder.
 */
function tryLock(file: string): Database.Database | null {
  const db = new Database(file, { timeout: 0 });
  try {
    db.pragma('locking_mode = EXCLUSIVE');
    db.pragma('journal_mode = MEMORY');
    db.exec('CREATE TABLE IF NOT EXISTS holder (pid INTEGER NOT NULL)');
    db.transaction(() => {
      db.exec('DELETE FROM holder');
      db.prepare('INSERT INTO holder (pid) VALUES (?)').run(process.pid);
    })();
    return db;
  } catch (error) {
    db.close();
    if ((error as { code?: string }).code?.startsWith('SQLITE_BUSY')) return null;
    throw error;
  }
}
