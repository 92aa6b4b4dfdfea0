import { adapter, baseline, type Figure } from '../eventstore.js';
import { peerPoint, type Series } from './chart.js';
import { installPeer, type PeerRun, peerInstalled, runPeer } from './peer.js';
import { machineNow, meetsRatio, type RatioGoal, type Row, ratioGoalText, ratioOf, row } from './report.js';
import type { Step } from './step.js';

const WRITERS = [1, 16, 64];
/** Ours at 64 writers against the baseline, and ours at 1 writer against the peer at 1. */
const BASELINE_GOAL: RatioGoal = { atLeast: 2.5, as: 'x' };
const PEER_GOAL: RatioGoal = { atLeast: 50, as: 'x' };

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
    const ratio = ratioOf(figure.perSecond, base.perSecond);
    rows.push(
      row(
        {
          name: `durable appends, ${writers} writer${writers === 1 ? '' : 's'}`,
          figure: figure.perSecond,
          unit: 'events/s',
          baseline: base.perSecond,
          baselineName: 'better-sqlite3 NORMAL',
          ratio,
          // Every writer count in the 64 writers' goal's unit, so the three rows compare at a glance.
          ratioUnit: BASELINE_GOAL.as,
          goal: writers === 64 ? `${ratioGoalText(BASELINE_GOAL)} baseline` : '-',
          met: writers === 64 ? meetsRatio(ratio, BASELINE_GOAL) : null,
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
  const ratio1 = ratioOf(ours1.perSecond, one ? one.perSecond : null);
  rows.push(
    row(
      {
        name: 'appends vs peer, 1 writer',
        figure: ours1.perSecond,
        unit: 'events/s',
        baseline: one ? one.perSecond : null,
        baselineName: 'Emmett SQLite',
        ratio: ratio1,
        ratioUnit: PEER_GOAL.as,
        goal: `${ratioGoalText(PEER_GOAL)} peer`,
        // A peer that acknowledged nothing is beaten by any figure (its ratio has no value to print).
        met: one ? one.perSecond === 0 || meetsRatio(ratio1, PEER_GOAL) : null,
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
        ratio: ratioOf(ours64.perSecond, many ? many.perSecond : null),
        // No goal on this ratio: a multiple, as the row above it.
        ratioUnit: PEER_GOAL.as,
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
      values: new Map(WRITERS.map((w) => [w, peerPoint(peer.get(w))])),
    },
  ];
  return { rows, chart };
}
