import { adapter, baseline, type Figure } from '../eventstore.js';
import type { Series } from './chart.js';
import { installPeer, type PeerRun, peerInstalled, runPeer } from './peer.js';
import { machineNow, type Row, row } from './report.js';
import type { Step } from './step.js';

const WRITERS = [1, 16, 64];

/** Durable appends at 1/16/64 writers against plain better-sqlite3, and the peer at 1 and 64 writers. */
export async function appendRows(step: Step): Promise<{ rows: Row[]; chart: Series[] }> {
  const { quick } = step;
  const count = quick ? 10_000 : 20_000;
  const seconds = quick ? 1 : 6;
  const rows: Row[] = [];
  const machine = machineNow();
  step.progress(`durable appends: baseline (better-sqlite3, WAL, synchronous=NORMAL), up to ${seconds} s`);
  const base = baseline(count, seconds);
  const ours = new Map<number, Figure>();
  for (const writers of WRITERS) {
    step.progress(`durable appends: ours at ${writers} writer(s)`);
    const figure = await adapter(writers, count, seconds);
    ours.set(writers, figure);
    const ratio = figure.perSecond / base.perSecond;
    rows.push(
      row(
        {
          name: `durable appends, ${writers} writer${writers === 1 ? '' : 's'}`,
          figure: figure.perSecond,
          unit: 'events/s',
          baseline: base.perSecond,
          baselineName: 'better-sqlite3 NORMAL',
          ratio,
          goal: writers === 64 ? '>= 2.5x baseline' : '-',
          met: writers === 64 ? ratio >= 2.5 : null,
          note: `${figure.appends} appends in ${figure.seconds.toFixed(1)} s, ${figure.lost ?? '?'} lost (read back)`,
        },
        machine,
      ),
    );
  }

  // The peer: installed on first use (its sqlite3 compiles from source), never by npm ci.
  const peer = new Map<number, PeerRun>();
  let peerProblem: string | null = null;
  if (!peerInstalled() && quick)
    peerProblem =
      'not installed (a full `npm run bench` installs it; --quick does not wait minutes for a compile)';
  else peerProblem = await installPeer(quick ? 60_000 : 8 * 60_000, step.progress);
  const peerMachine = machineNow();
  if (!peerProblem) {
    for (const writers of [1, 64]) {
      step.progress(
        `durable appends: the peer (Emmett SQLite) at ${writers} writer(s), killed if it overruns`,
      );
      try {
        peer.set(writers, await runPeer(writers, seconds, count, quick ? 4_000 : 15_000));
      } catch (error) {
        peerProblem = (error as Error).message;
      }
    }
  }
  const describe = (run: PeerRun | undefined) =>
    run
      ? `${run.acknowledged} acknowledged in ${run.seconds.toFixed(1)} s${run.hung ? ' (hung: killed at the time limit)' : ''}, errors ${JSON.stringify(run.errors)}, stored ${run.stored ?? '?'}, lost ${run.lost ?? '?'}`
      : (peerProblem ?? 'not run');
  const one = peer.get(1);
  const ours1 = ours.get(1)!;
  rows.push(
    row(
      {
        name: 'appends vs peer, 1 writer',
        figure: ours1.perSecond,
        unit: 'events/s',
        baseline: one ? one.perSecond : null,
        baselineName: 'Emmett SQLite',
        ratio: one && one.perSecond > 0 ? ours1.perSecond / one.perSecond : null,
        goal: '>= 50x peer',
        met: one ? one.perSecond === 0 || ours1.perSecond / one.perSecond >= 50 : null,
        note: `peer: ${describe(one)}`,
      },
      peerMachine,
    ),
  );
  const many = peer.get(64);
  const ours64 = ours.get(64)!;
  rows.push(
    row(
      {
        name: 'appends vs peer, 64 writers',
        figure: ours64.perSecond,
        unit: 'events/s',
        baseline: many ? many.perSecond : null,
        baselineName: 'Emmett SQLite',
        ratio: many && many.perSecond > 0 ? ours64.perSecond / many.perSecond : null,
        goal: 'ours loses nothing',
        met: ours64.lost === 0,
        note: `ours lost ${ours64.lost}; peer: ${describe(many)}`,
      },
      peerMachine,
    ),
  );
  const chart: Series[] = [
    {
      name: 'portal-core (synchronous=FULL)',
      color: '#1f77b4',
      values: new Map(WRITERS.map((w) => [w, { perSecond: ours.get(w)!.perSecond }])),
    },
    {
      name: 'better-sqlite3 loop (NORMAL, no fsync)',
      color: '#aaaaaa',
      values: new Map(WRITERS.map((w) => [w, { perSecond: base.perSecond }])),
    },
    {
      name: 'Emmett SQLite (peer)',
      color: '#d62728',
      values: new Map<number, { perSecond: number | null; label?: string }>(
        WRITERS.map((w): [number, { perSecond: number | null; label?: string }] => {
          const run = peer.get(w);
          if (!run) return [w, { perSecond: null, label: 'not run' }];
          const errors = Object.values(run.errors).reduce((a, b) => a + b, 0);
          const label = `${Math.round(run.perSecond)}${run.hung ? ' hung' : ''}${errors ? `, ${errors} errors` : ''}${run.lost ? `, ${run.lost} lost` : ''}`;
          return [w, { perSecond: run.perSecond, label }];
        }),
      ),
    },
  ];
  return { rows, chart };
}
