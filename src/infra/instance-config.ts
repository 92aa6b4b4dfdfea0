import { z } from 'zod';

const flag = z.enum(['0', '1', 'true', 'false']).transform((v) => v === '1' || v === 'true');

/**
 * The variables of running several instances and of the fault tests, kept apart from config.ts so
 * they sit together; config.ts spreads them into the one schema, validated like every other.
 */
export const instanceEnv = {
  /** Uploaded PDFs (default DATA_DIR/documents): instances that share a log must share this folder. */
  DOCUMENTS_DIR: z.string().min(1).optional(),
  /** How long a graceful shutdown (SIGTERM) waits for requests in flight before exiting anyway (1). */
  SHUTDOWN_TIMEOUT_MS: z.coerce.number().int().positive().default(25_000),
  /**
   * Test only (refused in production, needs DEV_TOOLS): POST /dev/faults/event-store makes the SQLite
   * store's writes fail as a full disk does, so the fault tests can fail a real process's disk.
   */
  TEST_FAULTS: flag.default(false),
};
