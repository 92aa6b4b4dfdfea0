import type { Verification } from '../../domain/audit/chain-verifier.js';
import type { Clock } from '../../infra/clock.js';
import type { Config } from '../../infra/config.js';
import type { EventStore, RecordedEvent } from '../../infra/eventstore/port.js';
import type { CommandHandler } from '../command-handler.js';
import type { Logger } from '../logger.js';
import { CheckpointWriter } from './checkpoint-writer.js';
import { verifyStore } from './verify-store.js';
import { readWitness, witnessPath } from './witness.js';

/** The audit's part of the services: checkpoints written as the log grows, and verification. */
export interface AuditServices {
  checkpoints: CheckpointWriter;
  /** Where the latest checkpoint is copied outside the log. */
  witnessFile: string | null;
  /** Verifies the whole log against its chains, checkpoints and the witness. */
  verify(onProgress?: (position: number, checked: number) => void): Promise<Verification>;
  stop(): Promise<void>;
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
  const witnessFile = witnessPath(deps.config.DATA_DIR);
  const checkpoints = new CheckpointWriter(
    {
      ...deps,
      get commands() {
        return deps.commands();
      },
    },
    { witnessFile },
  );
  checkpoints.start();
  let verifying: Promise<Verification> | null = null;
  return {
    checkpoints,
    witnessFile,
    verify(onProgress) {
      // One full read of the log at a time, however many auditors ask at once.
      verifying ??= verifyStore(deps.store, { witness: readWitness(witnessFile), onProgress }).finally(() => {
        verifying = null;
      });
      return verifying;
    },
    stop: () => checkpoints.stop(),
  };
}
