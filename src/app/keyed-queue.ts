/**
 * Runs tasks one at a time per key, in arrival order; different keys run concurrently. Serialising
 * the commands of one stream inside an instance means 50 racing sign-ins queue instead of retrying
 * (and re-running argon2) on every optimistic-concurrency conflict.
 */
export class KeyedQueue {
  private readonly tails = new Map<string, Promise<unknown>>();
  /** Tasks of each key not yet finished, the running one included. */
  private readonly counts = new Map<string, number>();

  run<T>(key: string, task: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(key) ?? Promise.resolve();
    this.counts.set(key, (this.counts.get(key) ?? 0) + 1);
    const done = () => {
      const left = (this.counts.get(key) ?? 1) - 1;
      if (left === 0) this.counts.delete(key);
      else this.counts.set(key, left);
    };
    const counted = async () => {
      try {
        return await task();
      } finally {
        done();
      }
    };
    const result = previous.then(counted, counted);
    const tail = result.then(
      () => undefined,
      () => undefined,
    );
    this.tails.set(key, tail);
    // Forget the key once its queue drains, so the map does not grow with every account ever seen.
    void tail.then(() => {
      if (this.tails.get(key) === tail) this.tails.delete(key);
    });
    return result;
  }

  /** How many tasks of this key wait behind the one running. */
  waiting(key: string): number {
    return Math.max(0, (this.counts.get(key) ?? 0) - 1);
  }

  get size(): number {
    return this.tails.size;
  }
}
