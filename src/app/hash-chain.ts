import { createHash } from 'node:crypto';
import type { ChainLinkInput } from '../domain/audit/chain-verifier.js';
import { canonicalJson } from '../infra/canonical-json.js';

/** The first event of a stream links to this. */
export const GENESIS_HASH = '0'.repeat(64);

/**
 * The formula new links are written with, stored as `metadata.chain`. Version 1 (no `chain` in the
 * metadata) covered the event's place, type and facts only; version 2 also covers who did it, from
 * where, in which request, and the event's id. Events already written keep verifying with the
 * formula they were written with: the version is chosen per event, never changed after the fact.
 */
export const CHAIN_VERSION = 2;
export type ChainVersion = 1 | 2;

export function sha256Hex(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** Digest of an event's personal part; null when it has none. Stored in metadata beside the hash. */
export function personalDigest(data: Record<string, unknown>): string | null {
  return data.personal === undefined ? null : sha256Hex(canonicalJson(data.personal));
}

/** The formula an event's link was written with; null when the metadata names one this code does not know. */
export function chainVersionOf(metadata: Record<string, unknown>): ChainVersion | null {
  if (metadata.chain === undefined) return 1;
  return metadata.chain === 2 ? 2 : null;
}

/**
 * What one link covers: the verifier's input shape (the domain defines it; this module only computes
 * it), with the version narrowed to the formulas this code knows. Metadata facts are taken raw, not
 * narrowed to strings, so that replacing an absent ip by a number, say, changes the hash too.
 */
export type ChainLink = Omit<ChainLinkInput, 'version'> & { version: ChainVersion };

/**
 * An event's link in its stream's hash chain: covers the previous link, where it stands (stream and
 * revision, so a swap or a move breaks it), its type, its facts, and only a digest of its personal
 * part, so that forgetting personal data later does not break the chain. Version 2 adds the event's
 * id, actor, correlation id and client IP, and the version itself (so a link cannot be passed off as
 * written with another formula).
 *
 * Not covered: the store's `recordedAt`. The store stamps it when it commits, after the hash is
 * computed, so the writer cannot know it; it is the storage's clock, not a fact of the event. The time
 * the domain states is `data.occurredAt`, which is covered with the facts (every feature's events
 * carry it; an event without it falls back to recordedAt in as-of answers and exports, uncovered).
 */
export function linkHash(link: ChainLink): string {
  if (link.version !== 1 && link.version !== 2) {
    const unknownVersion: never = link.version;
    throw new Error(`unknown hash-chain version ${String(unknownVersion)}`);
  }
  const v2 = link.version === 2;
  // The rest copy keeps an own "__proto__" member of the facts as a member, as the stored JSON has it.
  const { personal: _personal, ...facts } = link.data;
  // One object literal, not a spread of a shared one: the spread cost more than the hashing itself
  // (26 against 10 µs a link). Members version 1 does not cover are undefined, which canonicalJson
  // leaves out; it also sorts the keys, so the order written here does not matter.
  return sha256Hex(
    canonicalJson({
      stream: link.stream,
      revision: link.revision,
      type: link.type,
      prevHash: link.prevHash,
      facts,
      personalDigest: link.personalDigest,
      chain: v2 ? 2 : undefined,
      id: v2 ? link.id : undefined,
      actor: v2 ? (link.actor ?? null) : undefined,
      correlationId: v2 ? (link.correlationId ?? null) : undefined,
      ip: v2 ? (link.ip ?? null) : undefined,
    }),
  );
}
