import type { Verification, Witness } from '../../domain/audit/chain-verifier.js';
import { type AuditSigner, loadAuditSigner, type VerifyKeys } from '../../infra/audit-signing-key.js';
import type { Clock } from '../../infra/clock.js';
import type { Config } from '../../infra/config.js';
import type { EventStore, RecordedEvent } from '../../infra/eventstore/port.js';
import { leaseRedis } from '../../infra/redis.js';
import type { CommandHandler } from '../command-handler.js';
import type { Logger } from '../logger.js';
import { verifyKeysFor, witnessStoreFor } from './audit-setup.js';
import { CheckpointWriter } from './checkpoint-writer.js';
import { verifyStore } from './verify-store.js';
import type { WitnessStore } from './witness.js';

/** The audit's part of the services: signed checkpoints written as the log grows, and verification. */
export interface AuditServices {
  checkpoints: CheckpointWriter;
  signer: Pick<AuditSigner, 'keyId' | 'publicKey' | 'development' | 'sign'>;
  verifyKeys: VerifyKeys;
  /** Where the latest checkpoint is kept outside the log. */
  witness: WitnessStore;
  /**
   * The latest checkpoint this instance signed: the position to publish as a metric (issue 14's
   * metrics wire it; onWitness tells of each new one).
   */
  latestWitness(): Witness | null;
  onWitness(listener: (witness: Witness) => void): () => void;
  /** Verifies the whole log against its chains, signed checkpoints and the witness. */
  verify(onProgress?: (position: number, checked: number) => void): Promise<Verification>;
  /** Stops writing checkpoints on a timer (the start of a shutdown). */
  stop(): Promise<void>;
  /** The closing checkpoint, covering every event written before it: call once nothing else appends. */
  close(): Promise<void>;
}

interface Dependencies {
  config: Config;
  store: EventStore;
  /** Given lazily: the services container creates the handler in the same breath as this. */
  commands(): CommandHandler;
  clock: Clock;
  log: Logger;
  onCommitted(listener: (events: RecordedEvent[]) => void): () => void;
}

export function startAudit(deps: Dependencies): AuditServices {
  const { config, log } = deps;
  const signer = loadAuditSigner(config, log);
  const verifyKeys = verifyKeysFor(config, signer)!;
  const lease = config.REDIS_URL ? leaseRedis(config.REDIS_URL) : null;
  const witness = witnessStoreFor(config, lease?.redis ?? null);
  const checkpoints = new CheckpointWriter(
    {
      ...deps,
      get commands() {
        return deps.commands();
      },
    },
    { witness, signer, everyMs: config.AUDIT_CHECKPOINT_EVERY_MS },
  );
  checkpoints.start();
  let verifying: Promise<Verification> | null = null;
  let closed = false;
  return {
    checkpoints,
    signer,
    verifyKeys,
    witness,
    latestWitness: () => checkpoints.latestWitness(),
    onWitness: (listener) => checkpoints.onWitness(listener),
    verify(onProgress) {
      // One full read of the log at a time, however many auditors ask at once.
      verifying ??= witness
        .read()
        .then((found) =>
          verifyStore(deps.store, {
            keys: verifyKeys,
            witness: found,
            ...(onProgress ? { onProgress } : {}),
          }),
        )
        .finally(() => {
          verifying = null;
        });
      return verifying;
    },
    stop: () => checkpoints.stop(),
    async close() {
      if (closed) return;
      closed = true;
      await checkpoints.stop();
      try {
        await checkpoints.writeNow();
      } catch (error) {
        log.error({ err: error }, 'the closing audit checkpoint could not be written');
      }
      await lease?.release();
    },
  };
}
