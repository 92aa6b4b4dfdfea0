import {
  ChainVerifier,
  type SignatureCheck,
  type Verification,
  type Witness,
} from '../../domain/audit/chain-verifier.js';
import { type VerifyKeys, verifySignature } from '../../infra/audit-signing-key.js';
import type { EventStore } from '../../infra/eventstore/port.js';
import { chainFormula } from './chain-formula.js';

export interface VerifyOptions {
  /** The public keys every checkpoint and the witness must be signed with (AUDIT_VERIFY_KEYS). */
  keys: VerifyKeys;
  witness: Witness | null;
  /** The auditor says no witness exists (--no-witness): a log with checkpoints may then come without one. */
  noWitness?: boolean;
  /** Called after each batch with the last position read and the events checked so far. */
  onProgress?(position: number, checked: number): void;
  batchSize?: number;
}

export function signatureCheck(keys: VerifyKeys): SignatureCheck {
  return (keyId, text, signature) => {
    if (!keys.has(keyId)) return 'UNKNOWN_KEY';
    return verifySignature(keys, keyId, text, signature) ? 'VALID' : 'INVALID';
  };
}

/**
 * Verifies the whole log through the EventStore port only, so it runs the same on SQLite and
 * EventStoreDB: reads it in global order in batches and stops at the first break. Checkpoints must be
 * signed with one of `keys`, and a log holding checkpoints needs its witness unless `noWitness`.
 */
export async function verifyStore(store: EventStore, options: VerifyOptions): Promise<Verification> {
  const verifier = new ChainVerifier(chainFormula, { checkSignature: signatureCheck(options.keys) });
  const batchSize = options.batchSize ?? 2_000;
  let after: number | undefined;
  let checked = 0;
  for (;;) {
    const batch = await store.readAll({ ...(after === undefined ? {} : { after }), maxCount: batchSize });
    if (batch.length === 0) break;
    for (const event of batch) {
      if (verifier.check(event)) return verifier.finish();
      checked += 1;
    }
    after = batch[batch.length - 1]!.position;
    options.onProgress?.(after, checked);
  }
  return verifier.finish(options.witness, { witnessRequired: !options.noWitness });
}
