import { createHash } from 'node:crypto';
import { canonicalJson } from '../infra/canonical-json.js';

/** The first event of a stream links to this. */
export const GENESIS_HASH = '0'.repeat(64);

export function sha256Hex(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** Digest of an event's personal part; null when it has none. Stored in metadata beside the hash. */
export function personalDigest(data: Record<string, unknown>): string | null {
  return data.personal === undefined ? null : sha256Hex(canonicalJson(data.personal));
}

export interface ChainLink {
  stream: string;
  revision: number;
  type: string;
  data: Record<string, unknown>;
  prevHash: string;
  personalDigest: string | null;
}

/**
 * An event's link in its stream's hash chain: covers the previous link, where it stands (stream and
 * revision, so a swap or a move breaks it), its type, its facts, and only a digest of its personal
 * part, so that forgetting personal data later does not break the chain.
 */
export function linkHash(link: ChainLink): string {
  const { personal: _personal, ...facts } = link.data;
  return sha256Hex(
    canonicalJson({
      stream: link.stream,
      revision: link.revision,
      type: link.type,
      prevHash: link.prevHash,
      facts,
      personalDigest: link.personalDigest,
    }),
  );
}
