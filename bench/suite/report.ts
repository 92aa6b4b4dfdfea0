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

/**
 * One line of the report. `ratio` is figure/baseline when both are measured in the same run; `met` is
 * null when the goal could not be judged (the measurement did not run).
 */
export interface Row {
  name: string;
  figure: number | null;
  unit: string;
  baseline: number | null;
  baselineName?: string;
  ratio: number | null;
  goal: string;
  met: boolean | null;
  /** What else was measured or went wrong (errors, lost events, a fallback). */
  note?: string;
  machine: Pick<Machine, 'cores' | 'node' | 'loadAverage'>;
}

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

const ratioText = (row: Row) =>
  row.ratio === null ? '-' : row.unit === 's' ? `${show(row.ratio)}x` : `${round(row.ratio * 100, 1)}%`;

/** The table printed at the end and copied into the README: Markdown, which reads as well in a terminal. */
export function table(rows: Row[]): string {
  const lines = [
    '| benchmark | figure | unit | baseline | ratio | goal | met | load |',
    '| --- | ---: | --- | ---: | ---: | --- | --- | ---: |',
  ];
  for (const r of rows) {
    const baseline =
      r.baseline === null ? '-' : `${show(r.baseline)}${r.baselineName ? ` (${r.baselineName})` : ''}`;
    const met = r.met === null ? 'not measured' : r.met ? 'yes' : '**no**';
    lines.push(
      `| ${r.name} | ${show(r.figure)} | ${r.unit} | ${baseline} | ${ratioText(r)} | ${r.goal} | ${met} | ${r.machine.loadAverage[0]} |`,
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
