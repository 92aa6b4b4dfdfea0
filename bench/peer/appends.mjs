// The peer's side of the durable-appends comparison: Emmett's SQLite event store doing what
// bench/eventstore.ts asks of ours (one event per append, each writer its own stream, exact expected
// version). Plain JavaScript in its own package so it resolves the peer's node_modules, never the
// project's. Run by bench/suite/peer.ts in a child process with a time limit, because the peer has
// been seen to hang: it prints one JSON line of progress per second and a last one when done, so the
// parent knows what it did even if it has to kill it.
//
//   node bench/peer/appends.mjs <file.sqlite> <writers> <seconds> <count>
import { randomUUID } from 'node:crypto';
import { getSQLiteEventStore } from '@event-driven-io/emmett-sqlite';

const [file, writersArg, secondsArg, countArg] = process.argv.slice(2);
const writers = Number(writersArg);
const seconds = Number(secondsArg);
const count = Number(countArg);

const store = getSQLiteEventStore({ fileName: file, schema: { autoMigration: 'CreateOrUpdate' } });
let issued = 0;
let acknowledged = 0;
const errors = {};
const started = performance.now();
const deadline = started + seconds * 1000;
const report = (final) =>
  process.stdout.write(
    `${JSON.stringify({ final, acknowledged, errors, seconds: (performance.now() - started) / 1000 })}\n`,
  );
const progress = setInterval(() => report(false), 1000);

await Promise.all(
  Array.from({ length: writers }, async (_, w) => {
    const stream = `bench-${w}`;
    let expected = 'STREAM_DOES_NOT_EXIST';
    while (issued < count && performance.now() < deadline) {
      issued += 1;
      try {
        const result = await store.appendToStream(
          stream,
          [{ type: 'BenchAppended', data: { n: issued, at: 'x'.repeat(64), id: randomUUID() } }],
          { expectedStreamVersion: expected },
        );
        expected = result.nextExpectedStreamVersion;
        acknowledged += 1;
      } catch (error) {
        const code = error?.code ?? error?.name ?? 'Error';
        errors[code] = (errors[code] ?? 0) + 1;
        // A failed append leaves the stream where it was as far as this writer knows; the next one
        // checks against whatever is stored, as ours does after a conflict.
        expected = 'NO_CONCURRENCY_CHECK';
      }
    }
  }),
);
clearInterval(progress);
report(true);
await store.close?.();
process.exit(0);
