import type { AppendOptions, EventStore, EventToAppend, ExpectedRevision } from '../eventstore/port.js';
import { WrongExpectedVersionError } from '../eventstore/port.js';
import type { Sender } from '../notify/port.js';
import type { PortalMetrics } from './portal-metrics.js';

/**
 * The event store with its appends measured: latency to the durable acknowledgement, events per
 * append, conflicts, and what the appended events mean (`onAppended`). Everything else is passed
 * through untouched, optional methods included, so the store behaves exactly as before.
 */
export function instrumentStore(
  store: EventStore,
  metrics: PortalMetrics,
  onAppended: (events: readonly EventToAppend[]) => void,
): EventStore {
  const append = async (
    stream: string,
    events: EventToAppend[],
    expected: ExpectedRevision,
    options?: AppendOptions,
  ) => {
    const started = process.hrtime.bigint();
    const seconds = () => Number(process.hrtime.bigint() - started) / 1e9;
    try {
      const result = await store.append(stream, events, expected, options);
      metrics.appendLatency.observe({ result: 'ok' }, seconds());
      metrics.appendSize.observe(events.length);
      onAppended(events);
      return result;
    } catch (error) {
      const conflict = error instanceof WrongExpectedVersionError;
      if (conflict) metrics.conflicts.inc();
      metrics.appendLatency.observe({ result: conflict ? 'conflict' : 'error' }, seconds());
      throw error;
    }
  };
  // A proxy, not a copy: the store's own methods run on the store itself (its fields change), and
  // whatever else a caller reads of it (a SQLite store's stats) reads through.
  return new Proxy(store, {
    get(target, property) {
      if (property === 'append') return append;
      const value = Reflect.get(target, property, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

/** A sender whose provider's answer time is measured, by channel and result. */
export function timedSender(channel: string, sender: Sender, metrics: PortalMetrics): Sender {
  return {
    async send(message) {
      const stop = metrics.providerLatency.startTimer({ channel });
      try {
        const receipt = await sender.send(message);
        stop({ result: 'delivered' });
        return receipt;
      } catch (error) {
        stop({ result: 'failed' });
        throw error;
      }
    },
  };
}
