import type { Witness } from '../../domain/audit/chain-verifier.js';
import {
  CHECKPOINT_STREAM,
  type CheckpointSignature,
  type CheckpointSummary,
  checkpointDecider,
} from '../../domain/audit/checkpoint.js';
import { isAuditOwnStream } from '../../domain/audit/checks.js';
import { systemActor } from '../../domain/shared/events.js';
import type { Clock } from '../../infra/clock.js';
import type { EventStore, RecordedEvent } from '../../infra/eventstore/port.js';
import type { CommandHandler } from '../command-handler.js';
import type { Logger } from '../logger.js';
import { chainFormula } from './chain-formula.js';
import type { WitnessStore } from './witness.js';

/** What signs checkpoints (src/infra/audit-signing-key.ts's AuditSigner has this shape). */
export interface CheckpointSigner {
  keyId: string;
  sign(text: string): string;
}

export interface CheckpointWriterOptions {
  /** A checkpoint once this many events (other than the audit's own) were committed... */
  everyEvents?: number;
  /**
   * ...or once this long (by the server's clock) after the first event it would cover, whichever comes
   * first: the window in which the newest events can be removed unnoticed. Nothing is written while idle.
   */
  everyMs?: number;
  /** Most events one checkpoint covers, so catching up on a large log writes bounded events. */
  maxEventsPerCheckpoint?: number;
  /** Where the latest checkpoint is copied outside the log; none when null (tests of the writer alone). */
  witness: WitnessStore | null;
  signer: CheckpointSigner;
}

interface Dependencies {
  store: EventStore;
  commands: CommandHandler;
  clock: Clock;
  log: Logger;
  onCommitted(listener: (events: RecordedEvent[]) => void): () => void;
}

/**
 * Appends AuditCheckpointRecorded events to `audit-checkpoints`. The audit's own events never count
 * toward the next checkpoint, and a checkpoint is only written when the range it covers holds some
 * other event, so checkpoints never beget checkpoints. Several instances may write: the command
 * handler's exact-revision append makes a loser re-read the last checkpoint and chain to it.
 */
export class CheckpointWriter {
  // One on start-up: events written before a restart get covered at the first tick.
  private uncovered = 1;
  /** The server's time when the oldest event not yet covered was seen. */
  private uncoveredSince: number;
  private running: Promise<number> | null = null;
  private timer: NodeJS.Timeout | undefined;
  private unsubscribe: (() => void) | undefined;
  private readonly everyEvents: number;
  private readonly everyMs: number;
  private readonly maxEvents: number;
  private latest: Witness | null = null;
  private readonly witnessListeners = new Set<(witness: Witness) => void>();

  constructor(
    private readonly deps: Dependencies,
    private readonly options: CheckpointWriterOptions,
  ) {
    this.everyEvents = options.everyEvents ?? 500;
    this.everyMs = options.everyMs ?? 10_000;
    this.maxEvents = options.maxEventsPerCheckpoint ?? 2_000;
    this.uncoveredSince = deps.clock.now().getTime();
  }

  /**
   * Due by count, or by the server's clock (so /dev/clock/advance and tests move it, without waiting);
   * a real-time timer armed by the first uncovered event covers the tail once traffic stops. Only
   * commits are watched: the hot path pays a counter, the writing runs in the background.
   */
  start(): void {
    this.unsubscribe = this.deps.onCommitted((events) => {
      let others = 0;
      for (const event of events) if (!isAuditOwnStream(event.stream)) others += 1;
      if (others === 0) return;
      if (this.uncovered === 0) {
        this.uncoveredSince = this.deps.clock.now().getTime();
        this.arm();
      }
      this.uncovered += others;
      const due =
        this.uncovered >= this.everyEvents ||
        this.deps.clock.now().getTime() - this.uncoveredSince >= this.everyMs;
      if (due && !this.running) void this.writeInBackground();
    });
    this.arm();
  }

  private arm(): void {
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      // Even while a run is under way: writeNow queues behind it, so the tail is never left uncovered.
      if (this.uncovered > 0) void this.writeInBackground();
    }, this.everyMs);
    this.timer.unref();
  }

  /** Stops watching; the caller writes the closing checkpoint with writeNow once nothing else appends. */
  async stop(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.unsubscribe?.();
    this.unsubscribe = undefined;
    await this.running?.catch(() => {});
  }

  /** Resolves once a checkpoint run under way (one the clock or the count started) has finished. */
  async settled(): Promise<void> {
    await this.running?.catch(() => {});
  }

  /** The latest checkpoint this instance signed and witnessed: its position is published as a metric. */
  latestWitness(): Witness | null {
    return this.latest;
  }

  /** Called with each checkpoint once signed and witnessed (a metric, an external copy). */
  onWitness(listener: (witness: Witness) => void): () => void {
    this.witnessListeners.add(listener);
    return () => this.witnessListeners.delete(listener);
  }

  /** Writes checkpoints until every event is covered; resolves with how many were written. */
  writeNow(): Promise<number> {
    const previous = this.running ?? Promise.resolve(0);
    const next = previous.catch(() => 0).then(() => this.writeAll());
    this.running = next;
    void next
      .finally(() => {
        if (this.running === next) this.running = null;
      })
      .catch(() => {});
    return next;
  }

  private async writeInBackground(): Promise<void> {
    try {
      await this.writeNow();
    } catch (error) {
      this.deps.log.error({ err: error }, 'audit checkpoint could not be written');
    }
  }

  private async writeAll(): Promise<number> {
    this.uncovered = 0;
    this.uncoveredSince = this.deps.clock.now().getTime();
    // Only what was committed when this run began: under steady traffic "until nothing is left" never
    // ends, and wrote a checkpoint (and the witness file) for every few events. Later events count
    // toward the next run.
    const upTo = await this.deps.store.headPosition();
    let written = 0;
    for (;;) {
      const wrote = await this.writeOne(upTo);
      if (!wrote) return written;
      written += 1;
    }
  }

  private async writeOne(upTo: number): Promise<boolean> {
    const outcome = await this.deps.commands.execute(
      CHECKPOINT_STREAM,
      checkpointDecider,
      async ({ state: previous }) => {
        const events = (
          await this.deps.store.readAll({ after: previous.position, maxCount: this.maxEvents })
        ).filter((event) => event.position <= upTo);
        if (!events.some((event) => !isAuditOwnStream(event.stream))) return { events: [], result: false };
        const heads = events.map((event) => ({
          stream: event.stream,
          revision: event.revision,
          hash: String(event.metadata.hash ?? ''),
          position: event.position,
        }));
        const decision = checkpointDecider.decide(
          {
            type: 'RecordCheckpoint',
            heads,
            position: events[events.length - 1]!.position,
            digest: chainFormula.digest,
            sign: (text): CheckpointSignature => ({
              keyId: this.options.signer.keyId,
              signature: this.options.signer.sign(text),
            }),
            now: this.deps.clock.now(),
          },
          previous,
        );
        return { events: decision.events, result: true };
      },
      { actor: systemActor('audit checkpoints'), correlationId: 'audit-checkpoint' },
    );
    const event = outcome.appended[0];
    if (event) await this.witness(event.position, event.metadata.hash as string, event.data);
    return outcome.result;
  }

  /**
   * Publishes a checkpoint just appended: the witness store(s), one info line (for whoever ships the
   * logs elsewhere) and the listeners. A witness that cannot be written is an error, not a refusal:
   * the checkpoint itself is in the log, and the next one will try again.
   */
  private async witness(checkpointPosition: number, hash: string, data: Record<string, unknown>) {
    const summary = data as unknown as CheckpointSummary & CheckpointSignature;
    const witness: Witness = {
      checkpointPosition,
      hash,
      number: summary.number,
      position: summary.position,
      digest: summary.digest,
      keyId: summary.keyId,
      signature: summary.signature,
    };
    this.latest = witness;
    this.deps.log.info({ auditWitness: witness }, 'audit checkpoint signed');
    for (const listener of this.witnessListeners) listener(witness);
    if (!this.options.witness) return;
    try {
      await this.options.witness.write(witness);
    } catch (error) {
      this.deps.log.error({ err: error }, 'audit witness not written: a truncation would be harder to prove');
    }
  }
}
