import { CHECKPOINT_STREAM, checkpointDecider } from '../../domain/audit/checkpoint.js';
import { isAuditOwnStream } from '../../domain/audit/checks.js';
import { systemActor } from '../../domain/shared/events.js';
import type { Clock } from '../../infra/clock.js';
import type { EventStore, RecordedEvent } from '../../infra/eventstore/port.js';
import type { CommandHandler } from '../command-handler.js';
import type { Logger } from '../logger.js';
import { chainFormula } from './chain-formula.js';
import { writeWitness } from './witness.js';

export interface CheckpointWriterOptions {
  /** A checkpoint once this many events (other than the audit's own) were committed... */
  everyEvents?: number;
  /** ...or this often, whichever comes first. */
  everyMs?: number;
  /** Most events one checkpoint covers, so catching up on a large log writes bounded events. */
  maxEventsPerCheckpoint?: number;
  /** Where the latest checkpoint is copied outside the log; none when null. */
  witnessFile: string | null;
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
  private running: Promise<number> | null = null;
  private timer: NodeJS.Timeout | undefined;
  private unsubscribe: (() => void) | undefined;
  private readonly everyEvents: number;
  private readonly maxEvents: number;

  constructor(
    private readonly deps: Dependencies,
    private readonly options: CheckpointWriterOptions,
  ) {
    this.everyEvents = options.everyEvents ?? 500;
    this.maxEvents = options.maxEventsPerCheckpoint ?? 2_000;
  }

  start(): void {
    this.unsubscribe = this.deps.onCommitted((events) => {
      for (const event of events) if (!isAuditOwnStream(event.stream)) this.uncovered += 1;
      if (this.uncovered >= this.everyEvents && !this.running) void this.writeInBackground();
    });
    this.timer = setInterval(() => {
      if (this.uncovered > 0 && !this.running) void this.writeInBackground();
    }, this.options.everyMs ?? 60_000);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.unsubscribe?.();
    await this.running?.catch(() => {});
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
            now: this.deps.clock.now(),
          },
          previous,
        );
        return { events: decision.events, result: true };
      },
      { actor: systemActor('audit checkpoints'), correlationId: 'audit-checkpoint' },
    );
    const event = outcome.appended[0];
    if (event && this.options.witnessFile) {
      const data = event.data as { number: number; position: number };
      writeWitness(this.options.witnessFile, {
        checkpointPosition: event.position,
        hash: event.metadata.hash as string,
        number: data.number,
        position: data.position,
      });
    }
    return outcome.result;
  }
}
