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
  // whatever else a caller reads of it (a SQLite store's stats) reads through. `append` behaves as an
  // own property of the proxy: one who replaces it (a test injecting a fault) replaces the measured
  // one, and calling what they read before reaches the store once, not in a loop.
  let outerAppend: EventStore['append'] = append;
  return new Proxy(store, {
    get(target, property) {
      if (property === 'append') return outerAppend;
      const value = Reflect.get(target, property, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
    set(target, property, value) {
      if (property !== 'append') return Reflect.set(target, property, value, target);
      outerAppend = value;
      return true;
    },
    getOwnPropertyDescriptor(target, property) {
      if (property !== 'append') return Reflect.getOwnPropertyDescriptor(target, property);
      return { value: outerAppend, writable: true, enumerable: true, configurable: true };
    },
    // vi.spyOn and Object.defineProperty replace it this way.
    defineProperty(target, property, descriptor) {
      if (property !== 'append' || typeof descriptor.value !== 'function')
        return Reflect.defineProperty(target, property, descriptor);
      outerAppend = descriptor.value;
      return true;
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
