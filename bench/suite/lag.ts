import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { ANY } from '../../src/infra/eventstore/port.js';
import { openSqliteEventStore } from '../../src/infra/eventstore/sqlite.js';
import { allProjections } from '../../src/projections/index.js';
import { ProjectionRunner } from '../../src/projections/runner.js';
import { personHistory } from '../replay.js';
import { machineNow, percentile, type Row, row } from './report.js';
import type { Step } from './step.js';

/**
 * Projection lag: the durable store (synchronous=FULL, group commit) and every read model, as the
 * server composes them, with appends arriving at 1,000 events/s (people's histories: accounts,
 * applications, staff readings). For each event: the time from its append being acknowledged to the
 * read models having committed it (0 when they had it before the acknowledgement arrived).
 */
export async function lagRows(step: Step, dir: string): Promise<Row[]> {
  const seconds = step.quick ? 3 : 20;
  const rate = 1_000;
  const store = openSqliteEventStore({ file: join(dir, 'lag-events.sqlite') });
  const readDb = new Database(join(dir, 'lag-readmodels.sqlite'));
  readDb.pragma('journal_mode = WAL');
  readDb.pragma('synchronous = NORMAL');
  const runner = new ProjectionRunner(readDb, store, allProjections());
  await runner.start();
  const acked = new Map<string, number>();
  const projected = new Map<string, number>();
  runner.onCommitted((events) => {
    const now = performance.now();
    for (const e of events) projected.set(e.id, now);
  });
  const machine = machineNow();
  step.progress(`projection lag: appending ${rate} events/s for ${seconds} s`);
  const pending: Array<Promise<unknown>> = [];
  let failures = 0;
  let sent = 0;
  const started = performance.now();
  let personNo = 0;
  let queue: ReturnType<typeof personHistory> = [];
  while (performance.now() - started < seconds * 1000) {
    const due = Math.floor(((performance.now() - started) / 1000) * rate);
    while (sent < due) {
      if (queue.length === 0) queue = personHistory(personNo++, Date.now());
      const event = queue.shift()!;
      const id = randomUUID();
      sent += 1;
      pending.push(
        store
          .append(
            event.stream,
            [
              {
                id,
                type: event.type,
                data: event.data,
                metadata: { actor: event.actor, correlationId: id, ip: '192.0.2.10' },
              },
            ],
            ANY,
          )
          .then(
            () => acked.set(id, performance.now()),
            () => {
              failures += 1;
            },
          ),
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
  await Promise.all(pending);
  const took = (performance.now() - started) / 1000;
  // The last batches' turn of the event loop; an event still missing after 5 s counts as never projected.
  const deadline = performance.now() + 5_000;
  while (projected.size < acked.size && performance.now() < deadline)
    await new Promise((resolve) => setTimeout(resolve, 10));
  const lags: number[] = [];
  let missing = 0;
  for (const [id, at] of acked) {
    const seen = projected.get(id);
    if (seen === undefined) missing += 1;
    else lags.push(Math.max(0, seen - at));
  }
  lags.sort((a, b) => a - b);
  await runner.stop();
  readDb.close();
  await store.close();
  const p99 = percentile(lags, 99);
  return [
    row(
      {
        name: `projection lag at ${rate.toLocaleString('en-US')} events/s`,
        figure: p99,
        unit: 'ms p99',
        baseline: null,
        ratio: null,
        goal: 'p99 < 100 ms',
        met: missing === 0 && failures === 0 && p99 < 100,
        note: `p50 ${percentile(lags, 50).toFixed(1)} ms, p99 ${p99.toFixed(1)} ms, max ${(lags.at(-1) ?? 0).toFixed(1)} ms; ${acked.size} acknowledged at ${(acked.size / took).toFixed(0)}/s, ${failures} failed, ${missing} never projected`,
      },
      machine,
    ),
  ];
}
