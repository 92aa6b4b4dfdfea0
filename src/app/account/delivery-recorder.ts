import type { CodeDelivery, DeliveryEvent } from '../../infra/notify/notifier.js';

interface Pending {
  delivery: CodeDelivery;
  events: DeliveryEvent[];
  done: { resolve(): void; reject(error: unknown): void };
}

/**
 * Delivery outcomes, appended in batches. Each outcome alone was one more durable commit (an fsync that
 * blocks the event loop) per code sent; started together, a batch's appends meet in the store's group
 * commit and share one. Outcomes answer nobody, so a few milliseconds' wait costs no one anything, and
 * the notifier's idle() still waits for them (each record's promise settles once its batch is written).
 */
export class DeliveryRecorder {
  private pending: Pending[] = [];
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly write: (
      stream: string,
      delivery: CodeDelivery,
      events: DeliveryEvent[],
    ) => Promise<void>,
    private readonly windowMs: number,
    private readonly maxBatch = 64,
  ) {}

  record(delivery: CodeDelivery, events: DeliveryEvent[]): Promise<void> {
    return new Promise((resolve, reject) => {
      this.pending.push({ delivery, events, done: { resolve, reject } });
      if (this.pending.length >= this.maxBatch) this.flush();
      else this.timer ??= setTimeout(() => this.flush(), this.windowMs);
    });
  }

  /** Starts every pending append in this turn; outcomes of one stream go in one append. */
  flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const byStream = new Map<string, Pending[]>();
    for (const p of this.pending)
      byStream.set(p.delivery.stream, [...(byStream.get(p.delivery.stream) ?? []), p]);
    this.pending = [];
    for (const [stream, group] of byStream) {
      const first = group[0]!;
      this.write(
        stream,
        first.delivery,
        group.flatMap((p) => p.events),
      ).then(
        () => {
          for (const p of group) p.done.resolve();
        },
        (error: unknown) => {
          for (const p of group) p.done.reject(error);
        },
      );
    }
  }
}
