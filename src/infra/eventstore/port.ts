/**
 * The event store port. Every adapter (SQLite, EventStoreDB/KurrentDB) implements it and passes the
 * same conformance suite (test/eventstore/conformance.ts). Semantics follow EventStoreDB so that the
 * adapters map one to one: revisions are 0-based per stream, positions are strictly increasing in the
 * global log (not necessarily dense), and an expected revision is NO_STREAM, STREAM_EXISTS, ANY or an
 * exact revision.
 */

export const ANY = 'any' as const;
export const NO_STREAM = 'no_stream' as const;
export const STREAM_EXISTS = 'stream_exists' as const;

/** An exact revision is the revision of the stream's last event (0 after the first event). */
export type ExpectedRevision = typeof ANY | typeof NO_STREAM | typeof STREAM_EXISTS | number;

export type JsonObject = { [key: string]: unknown };

export interface EventToAppend {
  /** A UUID. Re-appending an event with the same id to the same stream is idempotent. */
  id: string;
  type: string;
  data: JsonObject;
  metadata: JsonObject;
}

export interface RecordedEvent {
  id: string;
  stream: string;
  /** 0-based position of the event within its stream. */
  revision: number;
  /** Position in the global log; strictly increasing, unique per event. */
  position: number;
  type: string;
  data: JsonObject;
  metadata: JsonObject;
  recordedAt: Date;
}

export interface AppendResult {
  /** Revision of the last event now in the stream. */
  nextRevision: number;
  /** Global position of the last event written by this append. */
  position: number;
}

export interface AppendOptions {
  /**
   * Nobody is waiting for this append (a delivery outcome, say): the store may hold it for a moment
   * and write it with the next append that is waited for, so both share one disk flush. The promise
   * still resolves only once the events are durable, and the expected revision is checked when they
   * are written. Stores that write each append on its own ignore it.
   */
  deferrable?: boolean;
}

export interface ReadStreamOptions {
  fromRevision?: number;
  maxCount?: number;
}

export interface ReadAllOptions {
  /** Exclusive: events with a position greater than this are returned. Omit to read from the start. */
  after?: number;
  maxCount?: number;
}

export interface Subscription {
  close(): Promise<void>;
}

export interface SubscribeOptions {
  /** Exclusive checkpoint: delivery starts with the first event after it. Omit to start at the beginning. */
  after?: number;
  /** Called once per event, in global order, never twice for one event. Awaited before the next. */
  onEvent(event: RecordedEvent): Promise<void> | void;
  /** Called when the subscription fails and stops. */
  onError?(error: Error): void;
}

export interface EventStore {
  append(
    stream: string,
    events: EventToAppend[],
    expectedRevision: ExpectedRevision,
    options?: AppendOptions,
  ): Promise<AppendResult>;
  /** Writes deferrable appends now (a command is waiting behind one); optional, like deferral itself. */
  commitDeferred?(): void;
  /** Events of one stream in revision order; an empty array when the stream does not exist. */
  readStream(stream: string, options?: ReadStreamOptions): Promise<RecordedEvent[]>;
  /** Events of all streams in global order. */
  readAll(options?: ReadAllOptions): Promise<RecordedEvent[]>;
  /** Catch up from the checkpoint, then turn live: no gap, no duplicate. */
  subscribeToAll(options: SubscribeOptions): Subscription;
  /** Position of the last event in the global log, or -1 when it is empty. */
  headPosition(): Promise<number>;
  /** Resolves when the store answers; rejects otherwise. Used by /health. */
  ping(): Promise<void>;
  /**
   * Optional: resolves when the store can be written now (a small durable write beside the log, never
   * an event); rejects otherwise (disk full, read-only, closed). Used by /ready; stores without it are
   * judged by ping alone.
   */
  checkWritable?(): Promise<void>;
  close(): Promise<void>;
}

export class WrongExpectedVersionError extends Error {
  readonly code = 'WRONG_EXPECTED_VERSION';
  constructor(
    readonly stream: string,
    readonly expected: ExpectedRevision,
    /** The stream's current revision, or NO_STREAM when it does not exist. */
    readonly actual: number | typeof NO_STREAM,
  ) {
    super(`Wrong expected version on ${stream}: expected ${String(expected)}, actual ${String(actual)}`);
    this.name = 'WrongExpectedVersionError';
  }
}

/** Whether an append expecting `expected` may go ahead on a stream whose last revision is `actual`. */
export function expectationHolds(expected: ExpectedRevision, actual: number | typeof NO_STREAM): boolean {
  if (expected === ANY) return true;
  if (expected === NO_STREAM) return actual === NO_STREAM;
  if (expected === STREAM_EXISTS) return actual !== NO_STREAM;
  return actual === expected;
}
