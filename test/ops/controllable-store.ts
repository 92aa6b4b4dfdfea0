import type {
  AppendOptions,
  EventStore,
  EventToAppend,
  ExpectedRevision,
  ReadAllOptions,
  ReadStreamOptions,
  SubscribeOptions,
} from '../../src/infra/eventstore/port.js';
import { openSqliteEventStore, type SqliteEventStore } from '../../src/infra/eventstore/sqlite.js';

/**
 * A real SQLite store the test can close and open again on the same file, and whose live subscription
 * (the read models') it can hold back: the causes /ready must notice, made for real.
 */
export class ControllableStore implements EventStore {
  private current: SqliteEventStore;
  private held: Promise<void> | null = null;
  private releaseHeld: (() => void) | null = null;

  constructor(private readonly file: string) {
    this.current = openSqliteEventStore({ file });
  }

  /** Closes the underlying store: every call fails as on a closed store. */
  async closeNow(): Promise<void> {
    await this.current.close();
  }

  /** Opens the same file again: the store answers again. */
  reopen(): void {
    this.current = openSqliteEventStore({ file: this.file });
  }

  /** From now on, the subscription's events wait before they reach the read models. */
  hold(): void {
    this.held = new Promise((resolve) => {
      this.releaseHeld = resolve;
    });
  }

  release(): void {
    this.releaseHeld?.();
    this.held = null;
    this.releaseHeld = null;
  }

  append(stream: string, events: EventToAppend[], expected: ExpectedRevision, options?: AppendOptions) {
    return this.current.append(stream, events, expected, options);
  }
  commitDeferred() {
    this.current.commitDeferred();
  }
  readStream(stream: string, options?: ReadStreamOptions) {
    return this.current.readStream(stream, options);
  }
  readAll(options?: ReadAllOptions) {
    return this.current.readAll(options);
  }
  subscribeToAll(options: SubscribeOptions) {
    return this.current.subscribeToAll({
      ...options,
      onEvent: async (event) => {
        if (this.held) await this.held;
        return options.onEvent(event);
      },
    });
  }
  headPosition() {
    return this.current.headPosition();
  }
  ping() {
    return this.current.ping();
  }
  checkWritable() {
    return this.current.checkWritable();
  }
  close() {
    this.release();
    return this.current.close();
  }
}
