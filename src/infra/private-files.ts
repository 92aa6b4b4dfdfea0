import { closeSync, existsSync, mkdirSync, openSync } from 'node:fs';
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
