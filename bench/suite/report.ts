import { mkdirSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, loadavg, totalmem } from 'node:os';
import { dirname } from 'node:path';

/** What the machine looked like when a measurement started: figures on a shared host mean little without it. */
export interface Machine {
  cores: number;
  cpu: string;
  memoryGb: number;
  node: string;
  /** 1, 5 and 15 minute load averages. */
  loadAverage: [number, number, number];
}

export function machineNow(): Machine {
  const [one, five, fifteen] = loadavg();
  return {
    cores: availableParallelism(),
    cpu: cpus()[0]?.model.trim() ?? 'unknown',
    memoryGb: Math.round(totalmem() / 2 ** 30),
    node: process.version,
    loadAverage: [round(one!, 2), round(five!, 2), round(fifteen!, 2)],
  };
}

/** How a ratio is written: as a multiple of its baseline (2.09x) or as a percentage of it (209%). */
export type RatioUnit = 'x' | '%';

/**
 * One line of the report. `ratio` is figure/baseline when both are measured in the same run (see
 * `ratioOf`), written in `ratioUnit` (a percentage when unset); `met` is null when the goal could not
 * be judged (the measurement did not run).
 */
export interface Row {
  name: string;
  figure: number | null;
  unit: string;
  baseline: number | null;
  baselineName?: string;
  ratio: number | null;
  /** The unit of the row's goal when that goal is on the ratio (`RatioGoal.as`), so both read alike. */
  ratioUnit?: RatioUnit;
  goal: string;
  met: boolean | null;
  /** What else was measured or went wrong (errors, lost events, a fallback). */
  note?: string;
  machine: Pick<Machine, 'cores' | 'node' | 'loadAverage'>;
}

/**
 * A goal on a row's ratio, in the unit it is written in: `{ atLeast: 2.5, as: 'x' }` is ">= 2.5x"
 * (two and a half times the baseline), `{ atLeast: 90, as: '%' }` is ">= 90%" (0.9 of it).
 */
export interface RatioGoal {
  atLeast: number;
  as: RatioUnit;
}

/** The goal as the table writes it: ">= 2.5x", ">= 90%". */
export const ratioGoalText = (goal: RatioGoal): string => `>= ${goal.atLeast}${goal.as}`;

/** figure / baseline; null when either was not measured or the baseline is not a positive number. */
export function ratioOf(figure: number | null, baseline: number | null): number | null {
  if (figure === null || baseline === null || !(baseline > 0)) return null;
  const ratio = figure / baseline;
  return Number.isFinite(ratio) ? ratio : null;
}

/** Whether a ratio meets its goal; null (not measured) when there is no ratio. */
export function meetsRatio(ratio: number | null, goal: RatioGoal): boolean | null {
  if (ratio === null) return null;
  return ratio >= (goal.as === 'x' ? goal.atLeast : goal.atLeast / 100);
}

/**
 * A row's verdict from its conditions: not met when any is not met, else not measured (null) when
 * any could not be judged, else met.
 */
export function met(...conditions: Array<boolean | null>): boolean | null {
  if (conditions.includes(false)) return false;
  return conditions.includes(null) ? null : true;
}

/**
 * The value at percentile `p` (0-100) of ascending `sorted`: the element at index floor(p * n / 100),
 * the last for p = 100; 0 for no values. At least p% of the values are at or below it and at most p%
 * below it (of 100 values, p99 is the largest). p * n before the division: (p / 100) * n can land
 * just under a whole number (29 / 100 * 100 = 28.999...) and pick the value a rank lower.
 */
export const percentile = (sorted: number[], p: number) =>
  sorted.length === 0 ? 0 : sorted[Math.min(sorted.length - 1, Math.floor((p * sorted.length) / 100))]!;

export function round(value: number, digits = 1): number {
  const scale = 10 ** digits;
  return Math.round(value * scale) / scale;
}

/** A row stamped with the machine's facts at the start of its benchmark. */
export function row(fields: Omit<Row, 'machine'>, machine: Machine): Row {
  return {
    ...fields,
    machine: { cores: machine.cores, node: machine.node, loadAverage: machine.loadAverage },
  };
}

const show = (value: number | null) =>
  value === null
    ? '-'
    : Math.abs(value) >= 100
      ? Math.round(value).toLocaleString('en-US')
      : String(round(value, Math.abs(value) >= 10 ? 1 : 2));

/** A ratio as the table writes it: a multiple (2.09x) or a percentage (209%); '-' when not measured. */
export const ratioText = (ratio: number | null, unit: RatioUnit = '%') =>
  ratio === null ? '-' : unit === 'x' ? `${show(ratio)}x` : `${round(ratio * 100, 1)}%`;

const metText = (value: boolean | null) => (value === null ? 'not measured' : value ? 'yes' : '**no**');

/** The table printed at the end and copied into the README: Markdown, which reads as well in a terminal. */
export function table(rows: Row[]): string {
  const lines = [
    '| benchmark | figure | unit | baseline | ratio | goal | met | load |',
    '| --- | ---: | --- | ---: | ---: | --- | --- | ---: |',
  ];
  for (const r of rows) {
    const baseline =
      r.baseline === null ? '-' : `${show(r.baseline)}${r.baselineName ? ` (${r.baselineName})` : ''}`;
    lines.push(
      `| ${r.name} | ${show(r.figure)} | ${r.unit} | ${baseline} | ${ratioText(r.ratio, r.ratioUnit)} | ${r.goal} | ${metText(r.met)} | ${r.machine.loadAverage[0]} |`,
    );
  }
  const notes = rows.filter((r) => r.note).map((r) => `- ${r.name}: ${r.note}`);
  return notes.length > 0 ? `${lines.join('\n')}\n\n${notes.join('\n')}` : lines.join('\n');
}

export interface Report {
  command: string;
  startedAt: string;
  finishedAt: string;
  quick: boolean;
  machine: Machine;
  rows: Row[];
}

export function writeJson(file: string, report: Report): void {
  mkdirSync(dirname(file), { recursive: true });
  // Short lists of numbers on one line, as the repository's formatter writes them.
  const text = JSON.stringify(report, null, 2).replace(
    /\[\s+(-?[\d.]+(?:,\s+-?[\d.]+)*)\s+\]/g,
    (_, list: string) => `[${list.split(/,\s+/).join(', ')}]`,
  );
  writeFileSync(file, `${text}\n`);
}
