import { randomBytes } from 'node:crypto';
import {
  closeSync,
  existsSync,
  linkSync,
  mkdirSync,
  openSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { dirname } from 'node:path';

/**
 * The event log, the read models, the witness and the outbox hold personal data and the audit's
 * evidence: readable by their owner only, whatever the process's umask (often 022, which gives every
 * local user a copy). Directories are created 0700 and files 0600; existing ones keep their mode, so
 * an operator who chose a group on purpose is not overruled.
 */
export const PRIVATE_DIR_MODE = 0o700;
export const PRIVATE_FILE_MODE = 0o600;

export function ensurePrivateDir(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: PRIVATE_DIR_MODE });
}

/**
 * Creates `file` empty with mode 0600 when it does not exist yet, so that a library that opens it
 * afterwards (SQLite) finds it private. SQLite gives its -wal and -shm files the database file's mode.
 */
export function ensurePrivateFile(file: string): void {
  ensurePrivateDir(dirname(file));
  if (existsSync(file)) return;
  try {
    closeSync(openSync(file, 'a', PRIVATE_FILE_MODE));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
}

/**
 * The content of `file`, written with `content` (mode 0600) if it did not exist yet. Processes started
 * together on one DATA_DIR must all end with the same content: each writes its own temporary file and
 * links it into place, which fails for all but the first, who then read the first's whole file (a
 * plain exclusive create would let them read it half-written, or fail with EEXIST).
 */
export function readOrCreatePrivateFile(file: string, content: () => string): string {
  if (existsSync(file)) return readFileSync(file, 'utf8');
  ensurePrivateDir(dirname(file));
  const mine = `${file}.${process.pid}.${randomBytes(4).toString('hex')}`;
  const text = content();
  writeFileSync(mine, text, { mode: PRIVATE_FILE_MODE, flag: 'wx' });
  try {
    linkSync(mine, file);
    return text;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    return readFileSync(file, 'utf8');
  } finally {
    rmSync(mine, { force: true });
  }
}
