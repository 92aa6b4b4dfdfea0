import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CHECKS_STREAM, type CheckOutcome, checksDecider } from '../../domain/audit/checks.js';
import { systemActor } from '../../domain/shared/events.js';
import { allProjections } from '../../projections/index.js';
import type { JobScheduler } from '../jobs/scheduler.js';
import type { Services } from '../services.js';
import { replayAndCompare } from './replay-compare.js';

/** Every night at 02:30 (server time): the quietest hour for a full read of the log. */
export const NIGHTLY = '30 2 * * *';
export const AUDIT_CHECKS_JOB = 'audit-nightly-checks';

/**
 * Verifies the hash chains and checkpoints, then replays every read model and compares it with the
 * live tables. Each outcome is recorded in `audit-checks` (passed or failed); a failure is also
 * logged at error level, loudly, for whoever watches the logs.
 */
export async function runAuditChecks(
  services: Pick<Services, 'audit' | 'clock' | 'commands' | 'config' | 'log' | 'readDb' | 'store'>,
): Promise<CheckOutcome[]> {
  const outcomes: CheckOutcome[] = [];
  const verification = await services.audit.verify();
  outcomes.push({ check: 'CHAIN', ...verification });

  const scratchDir = mkdtempSync(join(tmpdir(), 'portal-replay-'));
  try {
    const report = await replayAndCompare({
      store: services.store,
      // This instance's own read models (each process on a DATA_DIR claims its own file).
      liveFile: services.readDb.name,
      scratchDir,
      projections: allProjections,
    });
    const differing = report.differences.map(
      (d) => `${d.table} (${d.onlyLive} live only, ${d.onlyReplayed} replayed only)`,
    );
    outcomes.push({
      check: 'REPLAY',
      ok: report.ok,
      checkedEvents: 0,
      lastPosition: report.position,
      firstBrokenPosition: null,
      problem: report.ok ? null : `rebuilt read models differ from the live ones: ${differing.join(', ')}`,
    });
  } catch (error) {
    outcomes.push({
      check: 'REPLAY',
      ok: false,
      checkedEvents: 0,
      lastPosition: -1,
      firstBrokenPosition: null,
      problem: `the replay did not complete: ${error instanceof Error ? error.message : String(error)}`,
    });
  } finally {
    rmSync(scratchDir, { recursive: true, force: true });
  }

  for (const outcome of outcomes) {
    if (!outcome.ok)
      services.log.error(
        { check: outcome.check, firstBrokenPosition: outcome.firstBrokenPosition, problem: outcome.problem },
        'AUDIT CHECK FAILED: the event log or the read models cannot be trusted until this is explained',
      );
    await services.commands.execute(
      CHECKS_STREAM,
      checksDecider,
      ({ state }) => ({
        events: checksDecider.decide({ type: 'RecordCheck', outcome, now: services.clock.now() }, state)
          .events,
        result: null,
      }),
      { actor: systemActor('nightly audit checks'), correlationId: `audit-check-${outcome.check}` },
    );
  }
  return outcomes;
}

/** Registers the nightly checks with the instance's job scheduler (main.ts starts it). */
export function registerAuditJobs(
  jobs: JobScheduler,
  services: Pick<Services, 'audit' | 'clock' | 'commands' | 'config' | 'log' | 'readDb' | 'store'>,
): void {
  jobs.register({ name: AUDIT_CHECKS_JOB, schedule: NIGHTLY, run: () => runAuditChecks(services) });
}
