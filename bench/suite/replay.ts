import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { baseline, generate, rebuild } from '../replay.js';
import { machineNow, meetsRatio, type RatioGoal, type Row, ratioGoalText, ratioOf, row } from './report.js';
import { startServer } from './server.js';
import type { Step } from './step.js';

/** The replay against reading and parsing the same rows. */
const REPLAY_GOAL: RatioGoal = { atLeast: 60, as: '%' };

/**
 * Replay of the generated log (ten events per person: 1,000,000 events = 100,000 accounts) into every
 * read model against reading and parsing the same rows; then the production server started on that
 * log with no read models: seconds to ready, and its memory once ready.
 */
export async function replayRows(step: Step, dir: string, registryUrl: string): Promise<Row[]> {
  const events = step.quick ? 30_000 : 1_000_000;
  const sized = step.quick
    ? ` (quick: ${events.toLocaleString('en-US')} events; goals judged at 1,000,000 only)`
    : '';
  const dataDir = join(dir, 'cold');
  const scratch = join(dir, 'scratch');
  mkdirSync(dataDir, { recursive: true });
  mkdirSync(scratch, { recursive: true });
  const file = join(dataDir, 'events.sqlite');
  step.progress(`replay: generating ${events.toLocaleString('en-US')} events`);
  generate(file, events);
  const machine = machineNow();
  step.progress('replay: baseline (read + JSON.parse of the same rows)');
  const before = baseline(file);
  step.progress('replay: rebuilding every read model');
  const rebuilt = await rebuild(file, scratch, events);
  const after = baseline(file);
  const plain = Math.max(before, after);
  const ratio = ratioOf(rebuilt, plain);
  const rows: Row[] = [
    row(
      {
        name: `replay ${events.toLocaleString('en-US')} events into all read models`,
        figure: rebuilt,
        unit: 'events/s',
        baseline: plain,
        baselineName: 'read + parse loop',
        ratio,
        ratioUnit: REPLAY_GOAL.as,
        goal: `${ratioGoalText(REPLAY_GOAL)} of baseline`,
        met: meetsRatio(ratio, REPLAY_GOAL),
        ...(sized ? { note: sized.trim() } : {}),
      },
      machine,
    ),
  ];

  const coldMachine = machineNow();
  step.progress('cold start: the production server on that log, no read models');
  const server = await startServer({
    dataDir,
    secretsDir: join(dir, 'cold-secrets'),
    registryUrl,
    readyTimeoutMs: 240_000,
    progress: step.progress,
  });
  try {
    // Settled: what the process holds once ready, not a transient peak of the catch-up.
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    const rss = server.rssMb();
    const expected = events / rebuilt;
    const fallback =
      server.readyPath === '/health' ? '; /ready answered 404 on this build, timed to /health' : '';
    rows.push(
      row(
        {
          name: `cold start, ${events.toLocaleString('en-US')} events, no read models`,
          figure: server.readySeconds,
          unit: 's',
          baseline: expected,
          baselineName: 'events / replay rate',
          ratio: ratioOf(server.readySeconds, expected),
          // No goal on this ratio: seconds against seconds, a multiple.
          ratioUnit: 'x',
          goal: '< 15 s',
          met: step.quick ? null : server.readySeconds < 15,
          note: `to ${server.readyPath}${fallback}${sized}`,
        },
        coldMachine,
      ),
      row(
        {
          name: `memory after loading ${events.toLocaleString('en-US')} events (${(events / 10).toLocaleString('en-US')} accounts)`,
          figure: rss,
          unit: 'MB RSS',
          baseline: null,
          ratio: null,
          goal: '< 400 MB',
          met: step.quick ? null : rss < 400,
          ...(sized ? { note: sized.trim() } : {}),
        },
        coldMachine,
      ),
    );
  } finally {
    await server.stop();
  }
  return rows;
}
