import type { RecordedEvent, SubscribeOptions, Subscription } from './port.js';

interface CatchUpSource {
  /** The next events after a position, in global order, in bounded batches. */
  read(after: number): Promise<RecordedEvent[]>;
  /**
   * Optional: the events after a position from memory, when the store can vouch that it holds all of
   * them (those this process just committed); undefined sends the read to `read`. Asked only after a
   * wake-up by this process's own append; a poll always reads the store.
   */
  readRecent?(after: number): RecordedEvent[] | undefined;
  /** Registers a wake-up call for appends made in this process; returns the unregister function. */
  onAppended(listener: () => void): () => void;
  /** The store closed: the subscription ends quietly instead of failing on its next read. */
  onClosed?(listener: () => void): () => void;
  /** Appends made by other processes sharing the store are found by polling. */
  pollIntervalMs: number;
  options: SubscribeOptions;
}

/**
 * A catch-up subscription over any store that can read its global log from a position: read batches
 * until none is left, then wait for a wake-up (or the poll interval) and read again. The checkpoint
 * only moves past an event once its handler resolved, so there is no gap and no duplicate, whether
 * the events were written before or during the catch-up.
 */
export function catchUpSubscription(source: CatchUpSource): Subscription {
  const { options } = source;
  let checkpoint = options.after ?? 0;
  let stopped = false;
  let wake: (() => void) | undefined;
  let dirty = false;
  const unregisterAppended = source.onAppended(() => {
    dirty = true;
    wake?.();
  });
  const unregisterClosed = source.onClosed?.(() => {
    stopped = true;
    wake?.();
  });
  const unregister = () => {
    unregisterAppended();
    unregisterClosed?.();
  };

  const sleep = () =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(done, source.pollIntervalMs);
      function done() {
        clearTimeout(timer);
        wake = undefined;
        resolve();
      }
      wake = done;
    });

  const loop = (async () => {
    // Whether the last read came from memory: its "nothing more" is then asked of memory too.
    let fromMemory = false;
    // Wake-ups by our own appends must not put off reading the store: other processes' events are
    // found there, at least once per poll interval however busy this process is.
    let lastStoreRead = performance.now();
    while (!stopped) {
      const storeDue = performance.now() - lastStoreRead >= source.pollIntervalMs;
      const recent: RecordedEvent[] | undefined =
        (dirty || fromMemory) && !storeDue ? source.readRecent?.(checkpoint) : undefined;
      dirty = false;
      fromMemory = recent !== undefined;
      if (!fromMemory) lastStoreRead = performance.now();
      const batch = recent ?? (await source.read(checkpoint));
      if (stopped) return;
      for (const event of batch) {
        if (stopped) return;
        await options.onEvent(event);
        checkpoint = event.position;
      }
      // An append that landed while we were handling the batch set `dirty`: read again at once.
      if (batch.length === 0 && !dirty && !stopped) {
        await sleep();
        // Only an append of ours (dirty) lets memory answer now: after a poll, another process may
        // have written, and only the store knows.
        fromMemory = false;
      }
    }
  })().catch((error: unknown) => {
    stopped = true;
    unregister();
    options.onError?.(error instanceof Error ? error : new Error(String(error)));
  });

  return {
    async close() {
      stopped = true;
      unregister();
      wake?.();
      await loop;
    },
  };
}
