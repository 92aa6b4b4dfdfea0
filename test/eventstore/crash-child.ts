/**
 * Child process of crash.int.spec.ts: appends to a SQLite event store until it is killed.
 *
 *   node --import tsx test/eventstore/crash-child.ts <file> <runLabel>
 *
 * Several appenders run at once (so group commit puts many appends in one transaction), each on its own
 * stream with exact expected revisions, plus a shared stream written with ANY; appends hold 1 to 4 events.
 * Each acknowledged event is printed as one JSON line, only after its append resolved. Every event's data
 * names its append and the append's size, so the parent can tell a half-written append from a whole one.
 */
import { randomUUID } from 'node:crypto';
import { ANY, type ExpectedRevision, NO_STREAM } from '../../src/infra/eventstore/port.js';
import { openSqliteEventStore } from '../../src/infra/eventstore/sqlite.js';

export interface Ack {
  stream: string;
  revision: number;
  /** The append result's position: known for the last event of an append only. */
  position: number | null;
  id: string;
  appendId: string;
  size: number;
}

const [file, run = 'run'] = process.argv.slice(2);
if (!file) {
  console.error('usage: crash-child.ts <file> <runLabel>');
  process.exit(2);
}

const store = openSqliteEventStore({ file });
const APPENDERS = 8;
// Never meant to end by itself; this only stops an orphan if the parent died without killing us.
setTimeout(() => process.exit(3), 30_000).unref();

async function appender(w: number): Promise<void> {
  const own = `crash-${run}-w${w}`;
  let expected: ExpectedRevision = NO_STREAM;
  for (let n = 0; ; n++) {
    const shared = n % 5 === 4;
    const stream = shared ? `crash-shared-${run}` : own;
    const size = 1 + ((n * 7 + w) % 4);
    const appendId = randomUUID();
    const events = Array.from({ length: size }, (_, index) => ({
      id: randomUUID(),
      type: 'CrashTested',
      data: { appendId, size, index, w, n, pad: 'x'.repeat(200 * (index + 1)) },
      metadata: { run },
    }));
    const result = await store.append(stream, events, shared ? ANY : expected);
    if (!shared) expected = result.nextRevision;
    const first = result.nextRevision - size + 1;
    const lines = events.map((e, i) => {
      const ack: Ack = {
        stream,
        revision: first + i,
        position: i === size - 1 ? result.position : null,
        id: e.id,
        appendId,
        size,
      };
      return JSON.stringify(ack);
    });
    // One write per append: small writes to a pipe are atomic and synchronous on Linux.
    process.stdout.write(`${lines.join('\n')}\n`);
  }
}

await Promise.all(Array.from({ length: APPENDERS }, (_, w) => appender(w)));
