import { chainFormula } from '../../src/app/audit/chain-formula.js';
import { CHAIN_VERSION } from '../../src/app/hash-chain.js';
import type { ChainedEvent } from '../../src/domain/audit/chain-verifier.js';
import {
  CHECKPOINT_RECORDED,
  CHECKPOINT_STREAM,
  type CheckpointLink,
  noCheckpointYet,
  summariseCheckpoint,
} from '../../src/domain/audit/checkpoint.js';

/**
 * Builds a correctly chained log in memory, the way the command handler and the checkpoint writer
 * would: for unit tests of the verifier, which then break it in one place.
 */
export class LogBuilder {
  readonly events: ChainedEvent[] = [];
  private readonly heads = new Map<string, { revision: number; hash: string }>();
  private lastCheckpoint: CheckpointLink = noCheckpointYet;
  private position = 0;

  /** Links with the current formula, or with version 1 (as events written before version 2 were). */
  append(
    stream: string,
    type: string,
    data: Record<string, unknown>,
    options: { version?: 1 | 2 } = {},
  ): ChainedEvent {
    const version = options.version ?? CHAIN_VERSION;
    const head = this.heads.get(stream);
    const revision = head ? head.revision + 1 : 0;
    const prevHash = head?.hash ?? chainFormula.genesisHash;
    const personalDigest = chainFormula.personalDigest(data);
    this.position += 1;
    const id = `00000000-0000-4000-8000-${String(this.position).padStart(12, '0')}`;
    const meta = { actor: { kind: 'SYSTEM' }, correlationId: `c-${this.position}`, ip: '192.0.2.7' };
    const hash = chainFormula.linkHash({
      version,
      id,
      stream,
      revision,
      type,
      data,
      prevHash,
      personalDigest,
      ...meta,
    });
    const event: ChainedEvent = {
      id,
      position: this.position,
      stream,
      revision,
      type,
      data,
      metadata: { ...meta, ...(version === 1 ? {} : { chain: version }), prevHash, hash, personalDigest },
    };
    this.heads.set(stream, { revision, hash });
    this.events.push(event);
    return event;
  }

  /** A checkpoint covering everything appended so far. */
  checkpoint(): ChainedEvent {
    const covered = this.position;
    const summary = summariseCheckpoint(
      this.lastCheckpoint,
      this.events.map((e) => ({
        stream: e.stream,
        revision: e.revision,
        hash: e.metadata.hash as string,
        position: e.position,
      })),
      covered,
      chainFormula.digest,
    );
    this.lastCheckpoint = { number: summary.number, position: summary.position, digest: summary.digest };
    return this.append(CHECKPOINT_STREAM, CHECKPOINT_RECORDED, { ...summary });
  }
}

/** Re-chains one stream's events after an edit, as an attacker who knows the formula would. */
export function rehash(event: ChainedEvent): ChainedEvent {
  const personalDigest = chainFormula.personalDigest(event.data);
  const prevHash = event.metadata.prevHash as string;
  const version = chainFormula.versionOf(event.metadata) ?? CHAIN_VERSION;
  const { actor, correlationId, ip } = event.metadata;
  const hash = chainFormula.linkHash({
    ...event,
    version,
    prevHash,
    personalDigest,
    actor,
    correlationId,
    ip,
  });
  return { ...event, metadata: { ...event.metadata, hash, personalDigest } };
}
