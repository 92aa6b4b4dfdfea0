import { createHmac } from 'node:crypto';
import { normaliseIdentifier } from '../../domain/identity/identifiers.js';

/**
 * An account's id is derived from its identifier with a keyed hash (the never-rotated stream-name
 * key), so sign-in finds the stream without a read model, and no personal number appears in a stream
 * name. 128 bits, hex.
 */
export function accountIdFor(streamNameKey: Buffer, identifier: string): string {
  return createHmac('sha256', streamNameKey)
    .update(normaliseIdentifier(identifier))
    .digest('hex')
    .slice(0, 32);
}
