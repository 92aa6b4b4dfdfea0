import { auditCheckpointsStream } from '../shared/streams.js';

/**
 * Checkpoints: at a global position P, the heads of every stream that moved since the previous
 * checkpoint (stream -> last revision, hash and position at or before P), the number of events in
 * between, and a digest over all of it chained to the previous checkpoint's digest. By induction the
 * digest commits to the head of every stream at P, while each checkpoint stays as small as the events
 * it covers (a full list of heads would grow with every account ever opened).
 */

import type { Decider } from '../shared/decider.js';
import type { DomainEvent } from '../shared/events.js';

export const CHECKPOINT_STREAM = auditCheckpointsStream;
export const CHECKPOINT_RECORDED = 'AuditCheckpointRecorded';
/** The digest the first checkpoint chains to. */
export const FIRST_DIGEST = '0'.repeat(64);

export interface StreamHead {
  stream: string;
  revision: number;
  hash: string;
  position: number;
}

export interface CheckpointSummary {
  number: number;
  /** Exclusive: the previous checkpoint's position, -1 for the first. */
  fromPosition: number;
  /** Inclusive: the last global position covered. */
  position: number;
  eventCount: number;
  heads: StreamHead[];
  previousDigest: string;
  digest: string;
}

/** What the previous checkpoint left for the next one to chain to. */
export interface CheckpointLink {
  number: number;
  position: number;
  digest: string;
}

export const noCheckpointYet: CheckpointLink = { number: 0, position: -1, digest: FIRST_DIGEST };

/** sha256 over canonical JSON, given by the caller: the domain does no hashing of its own. */
export type Digest = (value: unknown) => string;

/**
 * Summarises the events after `previous.position` up to `position` (inclusive), given in global order;
 * later events in `events` are ignored (they belong to the next checkpoint).
 */
export function summariseCheckpoint(
  previous: CheckpointLink,
  events: Iterable<StreamHead>,
  position: number,
  digest: Digest,
): CheckpointSummary {
  const heads = new Map<string, StreamHead>();
  let eventCount = 0;
  for (const event of events) {
    if (event.position <= previous.position || event.position > position) continue;
    heads.set(event.stream, event);
    eventCount += 1;
  }
  const sorted = [...heads.values()]
    .map(({ stream, revision, hash, position: at }) => ({ stream, revision, hash, position: at }))
    .sort((a, b) => (a.stream < b.stream ? -1 : a.stream > b.stream ? 1 : 0));
  const body = {
    number: previous.number + 1,
    fromPosition: previous.position,
    position,
    eventCount,
    heads: sorted,
    previousDigest: previous.digest,
  };
  return { ...body, digest: digest(body) };
}

/**
 * Where a recorded checkpoint and the one recomputed from the log disagree: the lowest position that
 * shows it. A head the log no longer holds is named by the position the checkpoint remembers for it
 * (so a removed event is named exactly); a head only the log has, by its own position; any other
 * difference (a count, a digest: the checkpoint itself was edited) by the checkpoint's own position.
 */
export function firstDifference(
  recorded: CheckpointSummary,
  observed: CheckpointSummary,
  checkpointPosition: number,
): number | null {
  const positions: number[] = [];
  const seen = new Map(observed.heads.map((head) => [head.stream, head]));
  for (const head of recorded.heads) {
    const found = seen.get(head.stream);
    seen.delete(head.stream);
    if (!found || found.revision !== head.revision || found.hash !== head.hash)
      positions.push(found ? Math.min(found.position, head.position) : head.position);
  }
  for (const extra of seen.values()) positions.push(extra.position);
  if (positions.length > 0) return Math.min(...positions);
  const same =
    recorded.number === observed.number &&
    recorded.fromPosition === observed.fromPosition &&
    recorded.eventCount === observed.eventCount &&
    recorded.previousDigest === observed.previousDigest &&
    recorded.digest === observed.digest;
  return same ? null : checkpointPosition;
}

/** Reads a stored checkpoint's data back; null when it is not shaped like one. */
export function parseCheckpoint(data: Record<string, unknown>): CheckpointSummary | null {
  const { number, fromPosition, position, eventCount, heads, previousDigest, digest } = data;
  if (
    typeof number !== 'number' ||
    typeof fromPosition !== 'number' ||
    typeof position !== 'number' ||
    typeof eventCount !== 'number' ||
    typeof previousDigest !== 'string' ||
    typeof digest !== 'string' ||
    !Array.isArray(heads)
  )
    return null;
  const parsed: StreamHead[] = [];
  for (const head of heads as Array<Record<string, unknown>>) {
    if (
      typeof head?.stream !== 'string' ||
      typeof head.revision !== 'number' ||
      typeof head.hash !== 'string' ||
      typeof head.position !== 'number'
    )
      return null;
    parsed.push({ stream: head.stream, revision: head.revision, hash: head.hash, position: head.position });
  }
  return { number, fromPosition, position, eventCount, heads: parsed, previousDigest, digest };
}

/**
 * A checkpoint's signature, stored in its data beside the summary. The key id names the public key
 * that verifies it, so checkpoints signed before a key rotation keep verifying with the old key.
 */
export interface CheckpointSignature {
  keyId: string;
  /** Ed25519 over signedCheckpointText, base64. */
  signature: string;
}

/**
 * What a checkpoint's signature covers: its number, position and digest. The digest commits to every
 * stream's head by induction (each checkpoint's digest covers the previous one), so rewriting any
 * event before the checkpoint changes the digest and the signature no longer fits: the hash formula
 * is public, the key is not. The prefix keeps the signature from passing for anything else.
 */
export function signedCheckpointText(checkpoint: {
  number: number;
  position: number;
  digest: string;
}): string {
  return `portal-core audit checkpoint v1\nnumber=${checkpoint.number}\nposition=${checkpoint.position}\ndigest=${checkpoint.digest}`;
}

/** The signature stored in a checkpoint's data; null when it carries none (or a malformed one). */
export function signatureOf(data: Record<string, unknown>): CheckpointSignature | null {
  const { keyId, signature } = data;
  return typeof keyId === 'string' && typeof signature === 'string' ? { keyId, signature } : null;
}

export type CheckpointCommand = {
  type: 'RecordCheckpoint';
  /** The heads of the events after the previous checkpoint, in global order. */
  heads: StreamHead[];
  /** The last global position the checkpoint covers. */
  position: number;
  digest: Digest;
  /** Signs signedCheckpointText with the audit key: given by the caller, as the digest is. */
  sign(text: string): CheckpointSignature;
  now: Date;
};

/** The audit-checkpoints stream folded to its last checkpoint: what the next one chains to. */
export const checkpointDecider: Decider<CheckpointCommand, CheckpointLink, DomainEvent, CheckpointSummary> = {
  name: 'audit-last-checkpoint',
  initialState: () => noCheckpointYet,
  evolve(state, event) {
    if (event.type !== CHECKPOINT_RECORDED) return state;
    const summary = parseCheckpoint(event.data as Record<string, unknown>);
    return summary ? { number: summary.number, position: summary.position, digest: summary.digest } : state;
  },
  decide(command, previous) {
    const summary = summariseCheckpoint(previous, command.heads, command.position, command.digest);
    const { keyId, signature } = command.sign(signedCheckpointText(summary));
    return {
      events: [
        {
          type: CHECKPOINT_RECORDED,
          data: { ...summary, keyId, signature, occurredAt: command.now.toISOString() },
        },
      ],
      outcome: summary,
    };
  },
};
