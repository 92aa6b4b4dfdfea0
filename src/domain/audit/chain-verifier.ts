import {
  CHECKPOINT_RECORDED,
  CHECKPOINT_STREAM,
  type CheckpointLink,
  type Digest,
  firstDifference,
  noCheckpointYet,
  parseCheckpoint,
  type StreamHead,
  signatureOf,
  signedCheckpointText,
  summariseCheckpoint,
} from './checkpoint.js';

/** The stored event as the verifier sees it: what the hash chain covers, and where it stands. */
export interface ChainedEvent {
  id: string;
  position: number;
  stream: string;
  revision: number;
  type: string;
  data: Record<string, unknown>;
  metadata: Record<string, unknown>;
}

export interface ChainLinkInput {
  /** Which formula the link was written with (metadata.chain; version 1 when absent). */
  version: number;
  id: string;
  stream: string;
  revision: number;
  type: string;
  data: Record<string, unknown>;
  prevHash: string;
  personalDigest: string | null;
  /** Metadata as stored; version 1 ignores them. */
  actor: unknown;
  correlationId: unknown;
  ip: unknown;
}

/** The hash chain's formula (src/app/hash-chain.ts), passed in so the domain stays free of crypto. */
export interface ChainFormula {
  genesisHash: string;
  /** The formula version an event's metadata names; null when it names one the formula does not know. */
  versionOf(metadata: Record<string, unknown>): number | null;
  linkHash(link: ChainLinkInput): string;
  personalDigest(data: Record<string, unknown>): string | null;
  digest: Digest;
}

export interface ChainBreak {
  /** Null when no one position is to blame (a witness missing altogether). */
  position: number | null;
  problem: string;
}

/**
 * The latest checkpoint known outside the log: how a truncation of the log's tail is caught. It
 * carries the checkpoint's signature, so a witness written by someone without the key is refused.
 */
export interface Witness {
  /** Position of the AuditCheckpointRecorded event itself. */
  checkpointPosition: number;
  /** Its link hash. */
  hash: string;
  number: number;
  /** The last position the checkpoint covers. */
  position: number;
  digest: string;
  keyId: string;
  signature: string;
}

/** Checks a signature with the verification keys; 'UNKNOWN_KEY' when no key has that id. */
export type SignatureCheck = (
  keyId: string,
  text: string,
  signature: string,
) => 'VALID' | 'INVALID' | 'UNKNOWN_KEY';

export interface VerifierOptions {
  /** When given, every checkpoint and the witness must carry a signature these keys verify. */
  checkSignature?: SignatureCheck;
}

export interface FinishOptions {
  /**
   * A log that holds checkpoints must come with its witness: deleting the one file must not turn a
   * truncation into "no witness". False only when the auditor states that none exists (--no-witness).
   */
  witnessRequired?: boolean;
}

/** How the tail was checked: against a witness, declared without one, or not needed (no checkpoint). */
export type WitnessStatus = 'MATCHED' | 'DECLARED_ABSENT' | 'NOT_NEEDED';

export interface Verification {
  ok: boolean;
  checkedEvents: number;
  firstBrokenPosition: number | null;
  problem: string | null;
  lastPosition: number;
  checkpoints: number;
  witness: WitnessStatus;
}

/**
 * Verifies the whole log fed to it in global order, one event at a time (so a million events never
 * sit in memory): each event must link to the previous one of its stream, at the next revision, with
 * the hash its formula gives (facts, personal digest, and from version 2 id and metadata); each checkpoint must match the heads recomputed from
 * the log. It stops at the first break and names its position.
 */
export class ChainVerifier {
  private readonly heads = new Map<string, { revision: number; hash: string }>();
  /** Events after the last verified checkpoint: what the next checkpoint must summarise. */
  private sinceCheckpoint: StreamHead[] = [];
  private lastCheckpoint: CheckpointLink = noCheckpointYet;
  private checked = 0;
  private checkpoints = 0;
  private lastPosition = -1;
  /** Link hash of every verified checkpoint by its position: what a witness is compared with. */
  private readonly checkpointHashes = new Map<number, string>();
  private broken: ChainBreak | null = null;

  constructor(
    private readonly formula: ChainFormula,
    private readonly options: VerifierOptions = {},
  ) {}

  get failed(): ChainBreak | null {
    return this.broken;
  }

  /** Checks one event; returns the break it reveals (and keeps returning it), or null. */
  check(event: ChainedEvent): ChainBreak | null {
    if (this.broken) return this.broken;
    const problem = this.linkProblem(event) ?? this.checkpointProblem(event);
    if (problem) {
      this.broken = problem;
      return problem;
    }
    this.checked += 1;
    return null;
  }

  /** The verdict once the log has been read to its end, checked against the witness when there is one. */
  finish(witness?: Witness | null, options: FinishOptions = {}): Verification {
    let status: WitnessStatus = 'NOT_NEEDED';
    if (!this.broken && witness) {
      this.broken = this.witnessProblem(witness);
      status = 'MATCHED';
    } else if (!this.broken && this.checkpoints > 0) {
      if (options.witnessRequired)
        this.broken = {
          position: null,
          problem:
            'the log holds checkpoints but no witness was found: a truncated log would look whole (say --no-witness only if none was ever kept)',
        };
      else status = 'DECLARED_ABSENT';
    }
    return {
      ok: this.broken === null,
      checkedEvents: this.checked,
      firstBrokenPosition: this.broken?.position ?? null,
      problem: this.broken?.problem ?? null,
      lastPosition: this.lastPosition,
      checkpoints: this.checkpoints,
      witness: status,
    };
  }

  private linkProblem(event: ChainedEvent): ChainBreak | null {
    const at = (problem: string) => ({ position: event.position, problem });
    if (event.position <= this.lastPosition) return at(`position ${event.position} is out of order`);
    const head = this.heads.get(event.stream);
    const expectedRevision = head ? head.revision + 1 : 0;
    if (event.revision > expectedRevision)
      return at(`${event.stream} is missing revision ${expectedRevision} (removed or moved)`);
    if (event.revision < expectedRevision)
      return at(`${event.stream} has revision ${event.revision} twice or out of order`);
    const { prevHash, hash, personalDigest } = event.metadata;
    if (typeof hash !== 'string' || typeof prevHash !== 'string')
      return at(`${event.stream}@${event.revision} carries no hash chain`);
    const expectedPrev = head?.hash ?? this.formula.genesisHash;
    if (prevHash !== expectedPrev)
      return at(`${event.stream}@${event.revision} does not link to the previous event of its stream`);
    const version = this.formula.versionOf(event.metadata);
    if (version === null) return at(`${event.stream}@${event.revision} names an unknown hash-chain formula`);
    const digest = typeof personalDigest === 'string' ? personalDigest : null;
    // Personal data may have been forgotten since (crypto-shredding): then only its digest remains.
    if (event.data.personal !== undefined && this.formula.personalDigest(event.data) !== digest)
      return at(`${event.stream}@${event.revision}: personal data differs from its digest`);
    const recomputed = this.formula.linkHash({
      version,
      id: event.id,
      stream: event.stream,
      revision: event.revision,
      type: event.type,
      data: event.data,
      prevHash,
      personalDigest: digest,
      actor: event.metadata.actor,
      correlationId: event.metadata.correlationId,
      ip: event.metadata.ip,
    });
    if (recomputed !== hash)
      return at(
        version === 1
          ? `${event.stream}@${event.revision}: type or data differ from its hash`
          : `${event.stream}@${event.revision}: id, type, data, actor, correlation id or IP differ from its hash`,
      );
    this.heads.set(event.stream, { revision: event.revision, hash });
    this.sinceCheckpoint.push({
      stream: event.stream,
      revision: event.revision,
      hash,
      position: event.position,
    });
    this.lastPosition = event.position;
    return null;
  }

  private checkpointProblem(event: ChainedEvent): ChainBreak | null {
    if (event.stream !== CHECKPOINT_STREAM || event.type !== CHECKPOINT_RECORDED) return null;
    const recorded = parseCheckpoint(event.data);
    if (!recorded) return { position: event.position, problem: 'a checkpoint is malformed' };
    if (recorded.position >= event.position)
      return { position: event.position, problem: 'a checkpoint covers positions after itself' };
    const observed = summariseCheckpoint(
      this.lastCheckpoint,
      this.sinceCheckpoint,
      recorded.position,
      this.formula.digest,
    );
    const differs = firstDifference(recorded, observed, event.position);
    if (differs !== null)
      return {
        position: differs,
        problem: `checkpoint ${recorded.number} (position ${recorded.position}) does not match the log`,
      };
    const unsigned = this.signatureProblem(event.data, recorded, `checkpoint ${recorded.number}`);
    if (unsigned) return { position: event.position, problem: unsigned };
    this.lastCheckpoint = { number: recorded.number, position: recorded.position, digest: recorded.digest };
    this.sinceCheckpoint = this.sinceCheckpoint.filter((head) => head.position > recorded.position);
    this.checkpointHashes.set(event.position, event.metadata.hash as string);
    this.checkpoints += 1;
    return null;
  }

  /** Why a signed thing (a checkpoint, the witness) does not verify; null when it does or none is asked. */
  private signatureProblem(
    data: Record<string, unknown>,
    signed: { number: number; position: number; digest: string },
    what: string,
  ): string | null {
    const check = this.options.checkSignature;
    if (!check) return null;
    const signature = signatureOf(data);
    if (!signature) return `${what} is not signed`;
    const verdict = check(signature.keyId, signedCheckpointText(signed), signature.signature);
    if (verdict === 'UNKNOWN_KEY')
      return `${what} is signed with key ${signature.keyId}, which is not among the verification keys`;
    if (verdict === 'INVALID')
      return `${what}'s signature does not verify with key ${signature.keyId} (rewritten or signed with another key)`;
    return null;
  }

  private witnessProblem(witness: Witness): ChainBreak | null {
    const unsigned = this.signatureProblem({ ...witness }, witness, 'the witness');
    if (unsigned) return { position: witness.checkpointPosition, problem: unsigned };
    if (this.lastPosition < witness.checkpointPosition)
      // Everything after the last event still held is gone: the first missing position follows it.
      return {
        position: this.lastPosition + 1,
        problem: `the log ends at position ${this.lastPosition}, before the checkpoint witnessed at ${witness.checkpointPosition}`,
      };
    if (this.checkpointHashes.get(witness.checkpointPosition) !== witness.hash)
      return {
        position: witness.checkpointPosition,
        problem: 'the log does not hold the checkpoint witnessed outside it (rewritten)',
      };
    return null;
  }
}
