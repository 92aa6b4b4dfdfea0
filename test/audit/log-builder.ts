import { createPrivateKey, sign } from 'node:crypto';
import { chainFormula } from '../../src/app/audit/chain-formula.js';
import { signatureCheck } from '../../src/app/audit/verify-store.js';
import { CHAIN_VERSION } from '../../src/app/hash-chain.js';
import type { ChainedEvent, SignatureCheck, Witness } from '../../src/domain/audit/chain-verifier.js';
import {
  CHECKPOINT_RECORDED,
  CHECKPOINT_STREAM,
  type CheckpointLink,
  noCheckpointYet,
  signedCheckpointText,
  summariseCheckpoint,
} from '../../src/domain/audit/checkpoint.js';
import {
  type AuditSigner,
  generateAuditKey,
  parseVerifyKeys,
  type VerifyKeys,
} from '../../src/infra/audit-signing-key.js';

/** A fresh signing key and the verification keys that know it, as an operator's would be. */
export function testSigningKey(): { signer: Pick<AuditSigner, 'keyId' | 'sign'>; keys: VerifyKeys } {
  const { pem, verifyEntry } = generateAuditKey();
  const key = createPrivateKey(pem);
  const keyId = verifyEntry.slice(0, verifyEntry.indexOf('='));
  return {
    signer: { keyId, sign: (text) => sign(null, Buffer.from(text), key).toString('base64') },
    keys: parseVerifyKeys(verifyEntry),
  };
}

/** The operator's key of every LogBuilder: the verification keys below know it. */
export const operatorKey = testSigningKey();
export const operatorCheck: SignatureCheck = signatureCheck(operatorKey.keys);

/** The witness the checkpoint writer would have kept for a checkpoint event. */
export function witnessOf(checkpoint: ChainedEvent): Witness {
  const data = checkpoint.data as {
    number: number;
    position: number;
    digest: string;
    keyId: string;
    signature: string;
  };
  return {
    checkpointPosition: checkpoint.position,
    hash: checkpoint.metadata.hash as string,
    number: data.number,
    position: data.position,
    digest: data.digest,
    keyId: data.keyId,
    signature: data.signature,
  };
}

/**
 * Builds a correctly chained log in memory, the way the command handler and the checkpoint writer
 * would: for unit tests of the verifier, which then break it in one place.
 */
export class LogBuilder {
  readonly events: ChainedEvent[] = [];
  private readonly heads = new Map<string, { revision: number; hash: string }>();
  private lastCheckpoint: CheckpointLink = noCheckpointYet;
  private position = 0;

  /** Signs checkpoints with the operator's key, unless given another (an attacker's). */
  constructor(private readonly signer: Pick<AuditSigner, 'keyId' | 'sign'> = operatorKey.signer) {}

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

  /** A checkpoint covering everything appended so far, signed as the writer signs it. */
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
    const signature = this.signer.sign(signedCheckpointText(summary));
    return this.append(CHECKPOINT_STREAM, CHECKPOINT_RECORDED, {
      ...summary,
      keyId: this.signer.keyId,
      signature,
    });
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
