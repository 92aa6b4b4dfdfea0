/**
 * A dependency (the event store's disk, Redis, ...) cannot do what was asked right now. Adapters
 * throw it instead of their driver's error, so every layer above answers UNAVAILABLE (503, "try
 * again") and never an INTERNAL 500 for what is an outage, not a bug. The driver's error is the
 * cause, for the log only: its words never reach a client.
 */
export class DependencyUnavailableError extends Error {
  readonly code = 'UNAVAILABLE';
  constructor(
    readonly dependency: string,
    message: string,
    cause?: unknown,
  ) {
    super(message, { cause });
    this.name = 'DependencyUnavailableError';
  }
}

/**
 * SQLite's result codes that say the file cannot be written now (a full disk, an I/O error, a lock
 * held too long, a read-only medium), as opposed to a bug in a statement.
 */
const SQLITE_OUTAGE = /^SQLITE_(FULL|IOERR|BUSY|LOCKED|READONLY|CANTOPEN|NOMEM|PROTOCOL)/;

export function isSqliteOutage(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && SQLITE_OUTAGE.test(code);
}
