/**
 * The whole suite: `npm run bench` (under 15 minutes) or `npm run bench -- --quick` (a smoke run with
 * smaller sizes, under 2 minutes). Every figure beside a baseline measured in the same run on the same
 * machine, one table at the end, bench/results/latest.json and bench/results/appends.svg. It measures,
 * it does not judge: a goal not met is a row that says so, and the exit code is 0.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { appendRows } from './appends.js';
import { appendsChart, type Series } from './chart.js';
import { httpRows } from './http.js';
import { lagRows } from './lag.js';
import { replayRows } from './replay.js';
import { machineNow, type Row, row, table, writeJson } from './report.js';
import { ensureBuilt, startRegistry } from './server.js';
import { stepper } from './step.js';

const results = join(dirname(fileURLToPath(import.meta.url)), '..', 'results');

export async function runSuite(args: string[]): Promise<void> {
  const quick = args.includes('--quick');
  // `--only=http` (or appends, lag, replay): one part, for working on it; the table only, nothing written.
  const only = args.find((a) => a.startsWith('--only='))?.slice('--only='.length);
  const runs = (name: string) => only === undefined || only === name;
  const step = stepper(quick);
  const machine = machineNow();
  const startedAt = new Date().toISOString();
  step.progress(
    `suite${quick ? ' (quick)' : ''}: ${machine.cores} cores (${machine.cpu}), Node ${machine.node}, load ${machine.loadAverage.join(' ')}`,
  );
  const dir = mkdtempSync(join(tmpdir(), 'portal-bench-suite-'));
  const rows: Row[] = [];
  let chart: Series[] = [];
  // One part failing (a server that does not start, a peer that will not install) costs its rows, not the report.
  const part = async (name: string, run: () => Promise<Row[]>) => {
    try {
      rows.push(...(await run()));
    } catch (error) {
      step.progress(`${name} failed: ${(error as Error).stack ?? error}`);
      rows.push(
        row(
          {
            name,
            figure: null,
            unit: '-',
            baseline: null,
            ratio: null,
            goal: '-',
            met: null,
            note: `failed: ${(error as Error).message.slice(0, 300)}`,
          },
          machineNow(),
        ),
      );
    }
  };
  const registry = await startRegistry();
  try {
    if (runs('appends'))
      await part('durable appends', async () => {
        const appends = await appendRows(step);
        chart = appends.chart;
        return appends.rows;
      });
    if (runs('lag')) await part('projection lag', () => lagRows(step, dir));
    ensureBuilt(step.progress);
    if (runs('replay')) await part('replay and cold start', () => replayRows(step, dir, registry.url));
    if (runs('http')) await part('over HTTP', () => httpRows(step, dir, registry.url));
  } finally {
    await registry.close();
    rmSync(dir, { recursive: true, force: true });
  }
  const report = {
    command: `npm run bench${quick ? ' -- --quick' : ''}`,
    startedAt,
    finishedAt: new Date().toISOString(),
    quick,
    machine,
    rows,
  };
  if (only === undefined) writeJson(join(results, 'latest.json'), report);
  if (only === undefined && chart.length > 0)
    appendsChart(
      join(results, 'appends.svg'),
      [1, 16, 64],
      chart,
      `${machine.cores} cores, Node ${machine.node}, load ${machine.loadAverage[0]} at start, ${startedAt.slice(0, 16)}Z${quick ? ' (quick run)' : ''}`,
    );
  const minutes = ((Date.parse(report.finishedAt) - Date.parse(startedAt)) / 60_000).toFixed(1);
  console.log(`\n${table(rows)}\n`);
  console.log(
    `${report.command}: ${minutes} min on ${machine.cores} cores (${machine.cpu}), Node ${machine.node}, load average at start ${machine.loadAverage.join(', ')}`,
  );
  if (only === undefined)
    console.log(`written: bench/results/latest.json${chart.length ? ', bench/results/appends.svg' : ''}`);
  const unmet = rows.filter((r) => r.met === false).map((r) => r.name);
  if (unmet.length) console.log(`goals not met: ${unmet.join('; ')}`);
}
