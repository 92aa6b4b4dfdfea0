import { ChainVerifier, type Verification, type Witness } from '../../domain/audit/chain-verifier.js';
import type { EventStore } from '../../infra/eventstore/port.js';
import { chainFormula } from './chain-formula.js';

export interface VerifyOptions {
  witness?: Witness | null;
  /** Called after each batch with the last position read and the events checked so far. */
  onProgress?(position: number, checked: number): void;
  batchSize?: number;
}

/**
 * Verifies the whole log through the EventStore port only, so it runs the same on SQLite and
 * EventStoreDB: reads it in global order in batches and stops at the first break.
 */
export async function verifyStore(store: EventStore, options: VerifyOptions = {}): Promise<Verification> {
  const verifier = new ChainVerifier(chainFormula);
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
  return verifier.finish(options.witness);
}
