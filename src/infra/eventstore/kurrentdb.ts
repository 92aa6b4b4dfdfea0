/**
 * The EventStoreDB / KurrentDB adapter (production, clustered), over the official gRPC client.
 *
 * Stream names, event ids, types and revisions map one to one. Events are written as JSON.
 *
 * Global positions. The server gives every event a Position {commit, prepare}: byte offsets in its
 * transaction log, ordered by (commit, prepare). The port wants one number, unique and strictly
 * increasing per event. We use the PREPARE position:
 *  - every event has its own prepare record, so the prepare position is unique per event, whereas the
 *    commit position may be shared by all the events of one transaction (legacy explicit transactions
 *    end in one commit record);
 *  - appends made through gRPC are implicit transactions: each prepare record is its own commit, and the
 *    server reports such an event at {commit: P, prepare: P} (see AllReader.ReadAllEventsForward in the
 *    server), so commit == prepare and ordering by prepare is the log's order. The events of one
 *    multi-event append are consecutive prepare records, so they get consecutive, increasing numbers.
 *  - an append's result carries the position of its commit point, which for an implicit transaction is
 *    the last prepare record written: the position of the last event, as the port asks.
 * To resume after a number P we ask the server for {commit: P, prepare: P}: for an implicit commit that
 * is exactly the event at P, and reads of $all from a position are inclusive, so we drop events with a
 * position <= P on our side (which also makes the boundary exact however the server treats it).
 * Legacy explicit transactions (TCP API, gone from current servers) would break the "strictly increasing"
 * promise, because their events sort by their shared commit position; this adapter does not support
 * logs written that way.
 *
 * System events ($-prefixed types, $-prefixed streams, links) are never returned: the server filters
 * by event type, and we drop $-streams and links on our side too.
 */
import {
  type AllStreamResolvedEvent,
  type AppendStreamState,
  BACKWARDS,
  END,
  excludeSystemEvents,
  jsonEvent,
  ANY as KURRENT_ANY,
  NO_STREAM as KURRENT_NO_STREAM,
  STREAM_EXISTS as KURRENT_STREAM_EXISTS,
  KurrentDBClient,
  type RecordedEvent as KurrentRecordedEvent,
  WrongExpectedVersionError as KurrentWrongExpectedVersionError,
  type Position,
  type ResolvedEvent,
  START,
  StreamDeletedError,
  StreamNotFoundError,
} from '@kurrent/kurrentdb-client';
import {
  ANY,
  type AppendResult,
  type EventStore,
  type EventToAppend,
  type ExpectedRevision,
  type JsonObject,
  NO_STREAM,
  type ReadAllOptions,
  type ReadStreamOptions,
  type RecordedEvent,
  STREAM_EXISTS,
  type SubscribeOptions,
  type Subscription,
  WrongExpectedVersionError,
} from './port.js';

/** A stream nobody writes: reading it is the cheapest round trip that needs no special rights. */
const PING_STREAM = 'portal-health-ping';

function toStreamState(expected: ExpectedRevision): AppendStreamState {
  if (expected === ANY) return KURRENT_ANY;
  if (expected === NO_STREAM) return KURRENT_NO_STREAM;
  if (expected === STREAM_EXISTS) return KURRENT_STREAM_EXISTS;
  if (!Number.isSafeInteger(expected) || expected < 0) {
    throw new RangeError(`expected revision must be a non-negative integer, got ${expected}`);
  }
  return BigInt(expected);
}

function toPosition(after: number | undefined): Position | typeof START {
  if (after === undefined || after < 0) return START;
  const p = BigInt(after);
  return { commit: p, prepare: p };
}

function isSystem(event: { streamId: string; type: string }): boolean {
  return event.streamId.startsWith('$') || event.type.startsWith('$');
}

function asObject(value: unknown): JsonObject {
  if (value instanceof Uint8Array) {
    // Written by another client as binary; ours are always JSON. Decode if it is JSON after all.
    try {
      return asObject(JSON.parse(Buffer.from(value).toString('utf8')));
    } catch {
      return {};
    }
  }
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) return value as JsonObject;
  return value === undefined ? {} : { value };
}

function toRecorded(event: KurrentRecordedEvent): RecordedEvent {
  if (!event.position) {
    // Per-event positions in stream reads came with server 22.6; older servers cannot fill the port.
    throw new Error('KurrentDB server did not report event positions (server older than 22.6?)');
  }
  return {
    id: event.id,
    stream: event.streamId,
    revision: Number(event.revision),
    position: Number(event.position.prepare),
    type: event.type,
    data: asObject(event.data),
    metadata: asObject(event.metadata),
    recordedAt: event.created,
  };
}

/** The user event of a resolved event from $all, or undefined for links and system events. */
function userEvent(resolved: AllStreamResolvedEvent | ResolvedEvent): KurrentRecordedEvent | undefined {
  if (resolved.link || !resolved.event) return undefined;
  return isSystem(resolved.event) ? undefined : resolved.event;
}

function isNotFound(error: unknown): boolean {
  return error instanceof StreamNotFoundError || error instanceof StreamDeletedError;
}

export class KurrentEventStore implements EventStore {
  constructor(private readonly client: KurrentDBClient) {}

  async append(
    stream: string,
    events: EventToAppend[],
    expectedRevision: ExpectedRevision,
  ): Promise<AppendResult> {
    if (events.length === 0) throw new Error('append needs at least one event');
    const streamState = toStreamState(expectedRevision);
    try {
      const result = await this.client.appendToStream(
        stream,
        events.map((e) => jsonEvent({ id: e.id, type: e.type, data: e.data, metadata: e.metadata })),
        { streamState },
      );
      if (!result.success) {
        // Only with ?throwOnAppendFailure=false in the URL, and then the client's reported revision is
        // unreliable (1.3.1's batch append reports a boolean): ask the stream itself.
        throw new WrongExpectedVersionError(stream, expectedRevision, await this.currentRevision(stream));
      }
      const nextRevision = Number(result.nextExpectedRevision);
      if (result.position) return { nextRevision, position: Number(result.position.prepare) };
      // Some servers answer an idempotent re-append without a position: the last event tells it.
      const [last] = await this.readStream(stream, { fromRevision: nextRevision, maxCount: 1 });
      if (!last) throw new Error(`KurrentDB did not report the position of the append to ${stream}`);
      return { nextRevision, position: last.position };
    } catch (error) {
      if (error instanceof KurrentWrongExpectedVersionError) {
        throw new WrongExpectedVersionError(stream, expectedRevision, actualOf(error.actualState));
      }
      throw error;
    }
  }

  private async currentRevision(stream: string): Promise<number | typeof NO_STREAM> {
    try {
      for await (const resolved of this.client.readStream(stream, {
        fromRevision: END,
        direction: BACKWARDS,
        maxCount: 1,
      })) {
        if (resolved.event) return Number(resolved.event.revision);
      }
    } catch (error) {
      if (!isNotFound(error)) throw error;
    }
    return NO_STREAM;
  }

  async readStream(stream: string, options: ReadStreamOptions = {}): Promise<RecordedEvent[]> {
    if (options.maxCount === 0) return [];
    const events: RecordedEvent[] = [];
    try {
      for await (const resolved of this.client.readStream(stream, {
        fromRevision: options.fromRevision === undefined ? START : BigInt(options.fromRevision),
        ...(options.maxCount === undefined ? {} : { maxCount: options.maxCount }),
      })) {
        if (resolved.event) events.push(toRecorded(resolved.event));
      }
    } catch (error) {
      if (isNotFound(error)) return [];
      throw error;
    }
    return events;
  }

  async readAll(options: ReadAllOptions = {}): Promise<RecordedEvent[]> {
    const after = options.after ?? -1;
    const maxCount = options.maxCount ?? Number.POSITIVE_INFINITY;
    const events: RecordedEvent[] = [];
    if (maxCount <= 0) return events;
    // No maxCount sent: we drop the event at `after` and any system event the server lets through, so
    // we read on and stop once we have enough (leaving the loop cancels the server stream).
    for await (const resolved of this.client.readAll({
      fromPosition: toPosition(options.after),
      filter: excludeSystemEvents(),
    })) {
      const event = userEvent(resolved);
      if (!event) continue;
      const recorded = toRecorded(event);
      if (recorded.position <= after) continue;
      events.push(recorded);
      if (events.length >= maxCount) break;
    }
    return events;
  }

  subscribeToAll(options: SubscribeOptions): Subscription {
    let last = options.after ?? -1;
    let closed = false;
    let current: { unsubscribe(): Promise<unknown> } | undefined;
    let wake: (() => void) | undefined;
    // A failure of the handler is marked, so that it is not taken for a lost connection.
    const deliver = async (event: RecordedEvent) => {
      try {
        await options.onEvent(event);
      } catch (error) {
        throw Object.assign(error instanceof Error ? error : new Error(String(error)), { fromHandler: true });
      }
    };
    // One subscription from the checkpoint `last` (exclusive): every event delivered moves it on.
    const follow = async () => {
      const subscription = this.client.subscribeToAll({
        fromPosition: toPosition(last),
        filter: excludeSystemEvents(),
      });
      current = subscription;
      // Iterating pulls one event at a time, so onEvent is awaited before the next is taken.
      for await (const resolved of subscription) {
        if (closed) break;
        const event = userEvent(resolved);
        if (!event) continue;
        const recorded = toRecorded(event);
        // Positions only grow: anything at or before the last one delivered (the checkpoint itself, a
        // replay when the server switches from catch-up to live, or after a reconnection) was handled.
        if (recorded.position <= last) continue;
        await deliver(recorded);
        last = recorded.position;
      }
      if (!closed) throw new Error('KurrentDB ended the $all subscription');
    };
    // A lost connection (server restarted, network cut) is followed by a new subscription from the
    // last event delivered, after a pause that grows to 5 s: no gap, no duplicate, no restart needed.
    // Meanwhile the read models fall behind, which /ready reports. A failure of onEvent itself stops
    // the subscription (the read model cannot apply the event: retrying would not help).
    const loop = (async () => {
      for (let failures = 0; !closed; ) {
        try {
          await follow();
        } catch (error) {
          if (closed) return;
          if ((error as { fromHandler?: boolean }).fromHandler) throw error;
          failures += 1;
          await new Promise<void>((done) => {
            wake = done;
            setTimeout(done, Math.min(5_000, 100 * 2 ** Math.min(failures, 6)));
          });
        }
      }
    })().catch((error: unknown) => {
      if (closed) return;
      closed = true;
      void current?.unsubscribe().catch(() => {});
      options.onError?.(error instanceof Error ? error : new Error(String(error)));
    });
    return {
      async close() {
        if (!closed) {
          closed = true;
          wake?.();
          await current?.unsubscribe().catch(() => {});
        }
        await loop;
      },
    };
  }

  async headPosition(): Promise<number> {
    // Backwards from the end, skipping whatever system events the type filter lets through.
    for await (const resolved of this.client.readAll({
      fromPosition: END,
      direction: BACKWARDS,
      filter: excludeSystemEvents(),
    })) {
      const event = userEvent(resolved);
      if (event) return toRecorded(event).position;
    }
    return -1;
  }

  async ping(): Promise<void> {
    const read = this.client.readStream(PING_STREAM, { maxCount: 1 });
    try {
      await read.next();
    } catch (error) {
      if (!isNotFound(error)) throw error;
    } finally {
      await read.return?.();
    }
  }

  async close(): Promise<void> {
    await this.client.dispose();
  }
}

function actualOf(state: bigint | typeof KURRENT_NO_STREAM): number | typeof NO_STREAM {
  return state === KURRENT_NO_STREAM || state < 0n ? NO_STREAM : Number(state);
}

/** `url` is a connection string, e.g. kurrentdb://localhost:2113?tls=false (esdb:// works too). */
export function openKurrentEventStore(url: string): EventStore {
  return new KurrentEventStore(KurrentDBClient.connectionString(url));
}
