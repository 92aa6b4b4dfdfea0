import { randomUUID } from 'node:crypto';
import type { StreamModel } from '../domain/shared/decider.js';
import type { Actor, DomainEvent } from '../domain/shared/events.js';
import {
  type AppendOptions,
  type EventStore,
  type EventToAppend,
  NO_STREAM,
  type RecordedEvent,
  WrongExpectedVersionError,
} from '../infra/eventstore/port.js';
import { CHAIN_VERSION, GENESIS_HASH, linkHash, personalDigest } from './hash-chain.js';
import { KeyedQueue } from './keyed-queue.js';

export interface CommandMeta {
  actor: Actor;
  correlationId: string;
  ip?: string;
}

export interface Decision<E extends DomainEvent, R> {
  events: E[];
  result: R;
}

export interface StreamView<S> {
  state: S;
  /** Revision of the last event folded, -1 when the stream does not exist. */
  revision: number;
}

export interface CommandOutcome<R, S = unknown> {
  result: R;
  /** The fold after the appended events (the one decided on when nothing was appended). */
  state: S;
  /** Global position of the last event appended, null when the decision appended nothing. */
  position: number | null;
  appended: RecordedEvent[];
}

export class CommandConflictError extends Error {
  readonly code = 'CONFLICT';
  constructor(
    readonly stream: string,
    attempts: number,
  ) {
    super(`${stream} kept changing under ${attempts} attempts; try again`);
    this.name = 'CommandConflictError';
  }
}

interface CachedView {
  state: unknown;
  revision: number;
  lastHash: string;
}

const CACHE_LIMIT = 20_000;

/**
 * One generic command path: take the stream's fold (cached, or read: see execute), decide, append
 * with the exact revision decided on, and on a conflict (another instance wrote first) read what is
 * newer and decide again, a bounded number of times. Commands for one stream run one at a time in
 * this instance, so conflicts only come from other instances.
 *
 * The handler also writes each event's link in its stream's hash chain: it has just read the stream,
 * so it knows the previous hash; adapters only store it.
 */
export class CommandHandler {
  private readonly queue = new KeyedQueue();
  private readonly cache = new Map<string, CachedView>();
  /** The last revision of each stream this instance has read or written, whatever the model. */
  private readonly heads = new Map<string, number>();
  /** Streams whose queue is held by a deferrable append waiting to be written. */
  private readonly deferred = new Set<string>();

  constructor(
    readonly store: EventStore,
    private readonly options: {
      maxAttempts?: number;
      /**
       * Told of each refused append: 'retried' when the command is decided again on the newer
       * stream, 'exhausted' when the attempts ran out and the caller gets CONFLICT. Operators
       * watch the second: it is the one people see.
       */
      onConflict?: (outcome: 'retried' | 'exhausted') => void;
    } = {},
  ) {}

  execute<S, E extends DomainEvent, R>(
    stream: string,
    model: StreamModel<S, E>,
    decide: (view: StreamView<S>, attempt: number) => Decision<E, R> | Promise<Decision<E, R>>,
    meta: CommandMeta,
    appendOptions?: AppendOptions,
  ): Promise<CommandOutcome<R, S>> {
    // A deferrable append holds the stream's queue until it is written; one waiting behind it would
    // wait for the deferral too, so it is written now.
    if (this.deferred.has(stream)) this.store.commitDeferred?.();
    return this.queue.run(stream, async () => {
      const maxAttempts = this.options.maxAttempts ?? 5;
      const key = cacheKey(model, stream);
      // The first decision is taken on the cached fold without reading the stream when the fold is
      // as far as this instance has seen the stream (another model's command may have appended since):
      // in one instance every append went through this queue, so the cache is the stream; where another
      // instance wrote in between, the exact-revision append refuses the decision and the next attempt
      // reads the stream. A decision that appends nothing meets no such check, so it is only answered
      // once a read shows the stream had not moved (else it is taken again on the newer fold).
      const cached = this.cache.get(key);
      let view = cached && this.heads.get(stream) === cached.revision ? cached : undefined;
      let trusted = view !== undefined;
      for (let attempt = 1; attempt <= maxAttempts; ) {
        view ??= await this.loadCached(stream, model);
        const decision = await decide({ state: view.state as S, revision: view.revision }, attempt);
        if (decision.events.length === 0) {
          if (trusted) {
            trusted = false;
            const fresh = await this.loadCached(stream, model);
            if (fresh.revision !== view.revision) {
              view = fresh;
              continue;
            }
          }
          return { result: decision.result, state: view.state as S, position: null, appended: [] };
        }
        trusted = false;
        const toAppend = this.link(stream, view, decision.events, meta);
        const expected = view.revision === -1 ? NO_STREAM : view.revision;
        try {
          // Deferring while another command of this stream already waits would make it wait too.
          const defer = appendOptions?.deferrable === true && this.queue.waiting(stream) === 0;
          if (defer) this.deferred.add(stream);
          const written = await this.store
            .append(stream, toAppend, expected, { deferrable: defer })
            .finally(() => this.deferred.delete(stream));
          const decidedOn = view;
          const appended = toAppend.map((event, i) =>
            recorded(stream, event, decidedOn.revision + 1 + i, written.position - (toAppend.length - 1 - i)),
          );
          const state = this.remember(stream, model, decidedOn, appended);
          return { result: decision.result, state, position: written.position, appended };
        } catch (error) {
          if (!(error instanceof WrongExpectedVersionError)) throw error;
          // The fold up to view.revision still holds when the stream went on past it (events never
          // change), and the next attempt reads what came after. A stream behind the fold (restored
          // from a backup) is folded again from its start.
          if (!(typeof error.actual === 'number' && error.actual > view.revision)) this.forget(key, stream);
          view = undefined;
          attempt += 1;
          this.options.onConflict?.(attempt <= maxAttempts ? 'retried' : 'exhausted');
        }
      }
      throw new CommandConflictError(stream, maxAttempts);
    });
  }

  /** The current fold of a stream, for decisions taken outside a command (always from the stream). */
  async load<S, E extends DomainEvent>(stream: string, model: StreamModel<S, E>): Promise<StreamView<S>> {
    const view = await this.loadCached(stream, model);
    return { state: view.state as S, revision: view.revision };
  }

  /**
   * The fold as this instance last saw the stream, without reading it; undefined when it has none.
   * Only for choices no newer event can change (an ACTIVE account stays ACTIVE).
   */
  lastSeen<S, E extends DomainEvent>(stream: string, model: StreamModel<S, E>): StreamView<S> | undefined {
    const cached = this.cache.get(cacheKey(model, stream));
    return cached && { state: cached.state as S, revision: cached.revision };
  }

  private async loadCached<S, E extends DomainEvent>(stream: string, model: StreamModel<S, E>) {
    const key = cacheKey(model, stream);
    const cached = this.cache.get(key) ?? {
      state: model.initialState(),
      revision: -1,
      lastHash: GENESIS_HASH,
    };
    const newer = await this.store.readStream(stream, { fromRevision: cached.revision + 1 });
    let { state, revision, lastHash } = cached;
    for (const event of newer) {
      state = model.evolve(state as S, { type: event.type, data: event.data } as unknown as E);
      revision = event.revision;
      lastHash = typeof event.metadata.hash === 'string' ? event.metadata.hash : lastHash;
    }
    const view = { state, revision, lastHash };
    this.touch(key, stream, view);
    return view;
  }

  private link(stream: string, view: CachedView, events: DomainEvent[], meta: CommandMeta): EventToAppend[] {
    let prevHash = view.lastHash;
    // Round-trip through JSON so the hash covers exactly what the store gives back (undefined dropped).
    const actor = JSON.parse(JSON.stringify(meta.actor)) as Actor;
    return events.map((event, i) => {
      // Round-trip through JSON so the cached fold sees exactly what a reload would.
      const data = JSON.parse(JSON.stringify(event.data)) as Record<string, unknown>;
      const digest = personalDigest(data);
      // The id is chosen here, before hashing, so the link covers it: a re-labelled event breaks the chain.
      const id = randomUUID();
      const hash = linkHash({
        version: CHAIN_VERSION,
        id,
        stream,
        revision: view.revision + 1 + i,
        type: event.type,
        data,
        prevHash,
        personalDigest: digest,
        actor,
        correlationId: meta.correlationId,
        ip: meta.ip || undefined,
      });
      const metadata = {
        actor,
        correlationId: meta.correlationId,
        ...(meta.ip ? { ip: meta.ip } : {}),
        chain: CHAIN_VERSION,
        prevHash,
        hash,
        personalDigest: digest,
      };
      prevHash = hash;
      return { id, type: event.type, data, metadata };
    });
  }

  private remember<S, E extends DomainEvent>(
    stream: string,
    model: StreamModel<S, E>,
    view: CachedView,
    appended: RecordedEvent[],
  ): S {
    let state = view.state as S;
    for (const event of appended)
      state = model.evolve(state, { type: event.type, data: event.data } as unknown as E);
    const last = appended[appended.length - 1]!;
    this.touch(cacheKey(model, stream), stream, {
      state,
      revision: last.revision,
      lastHash: last.metadata.hash as string,
    });
    return state;
  }

  /**
   * Keeps the newer of two folds: a load() outside the queue may finish its read after a command
   * appended, and must not put the cache (or the stream's head) back to what it read.
   */
  private touch(key: string, stream: string, view: CachedView) {
    const current = this.cache.get(key);
    this.cache.delete(key);
    this.cache.set(key, current && current.revision > view.revision ? current : view);
    if (this.cache.size > CACHE_LIMIT) this.cache.delete(this.cache.keys().next().value as string);
    const head = Math.max(view.revision, this.heads.get(stream) ?? -1);
    this.heads.delete(stream);
    this.heads.set(stream, head);
    if (this.heads.size > CACHE_LIMIT) this.heads.delete(this.heads.keys().next().value as string);
  }

  private forget(key: string, stream: string) {
    this.cache.delete(key);
    this.heads.delete(stream);
  }
}

function cacheKey(model: { name: string }, stream: string) {
  return `${model.name}\u0000${stream}`;
}

function recorded(stream: string, event: EventToAppend, revision: number, position: number): RecordedEvent {
  // Positions of one append are consecutive in SQLite; other stores only promise the last one, and
  // nothing here relies on the others.
  return { ...event, stream, revision, position, recordedAt: new Date() };
}
