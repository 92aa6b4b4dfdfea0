import type Database from 'better-sqlite3';
import { chainFormula } from '../../src/app/audit/chain-formula.js';
import type { Witness } from '../../src/domain/audit/chain-verifier.js';
import {
  CHECKPOINT_RECORDED,
  CHECKPOINT_STREAM,
  type CheckpointLink,
  noCheckpointYet,
  type StreamHead,
  signedCheckpointText,
  summariseCheckpoint,
} from '../../src/domain/audit/checkpoint.js';
import type { AuditSigner } from '../../src/infra/audit-signing-key.js';

interface Row {
  position: number;
  stream: string;
  revision: number;
  id: string;
  type: string;
  data: string;
  metadata: string;
}

/**
 * What an insider with the data directory (not the signing key) can do with the public formula: erase
 * every event of one stream, then recompute every later link, every checkpoint's summary and digest,
 * and the checkpoints' own chain, so that the log is consistent again. Checkpoints keep their old
 * signatures, or are signed with `resign` (a key of the insider's own, under any id it likes).
 * Returns the witness such an insider would write for the last checkpoint.
 */
export function eraseStreamAndRehash(
  db: Database.Database,
  erased: string,
  resign?: { keyId: string; sign: AuditSigner['sign'] },
): Witness | null {
  const rows = db.prepare('SELECT * FROM events ORDER BY position').all() as Row[];
  db.prepare('DELETE FROM events WHERE stream = ?').run(erased);
  const update = db.prepare('UPDATE events SET data = ?, metadata = ? WHERE position = ?');
  const heads = new Map<string, string>();
  let since: StreamHead[] = [];
  let last: CheckpointLink = noCheckpointYet;
  let witness: Witness | null = null;
  for (const row of rows) {
    if (row.stream === erased) continue;
    let data = JSON.parse(row.data) as Record<string, unknown>;
    const metadata = JSON.parse(row.metadata) as Record<string, unknown>;
    if (row.stream === CHECKPOINT_STREAM && row.type === CHECKPOINT_RECORDED) {
      const summary = summariseCheckpoint(last, since, data.position as number, chainFormula.digest);
      const signature = resign
        ? { keyId: resign.keyId, signature: resign.sign(signedCheckpointText(summary)) }
        : { keyId: data.keyId, signature: data.signature };
      data = { ...data, ...summary, ...signature };
      last = { number: summary.number, position: summary.position, digest: summary.digest };
      since = since.filter((head) => head.position > summary.position);
    }
    const prevHash = heads.get(row.stream) ?? chainFormula.genesisHash;
    const hash = chainFormula.linkHash({
      version: chainFormula.versionOf(metadata) ?? 2,
      id: row.id,
      stream: row.stream,
      revision: row.revision,
      type: row.type,
      data,
      prevHash,
      personalDigest: chainFormula.personalDigest(data),
      actor: metadata.actor,
      correlationId: metadata.correlationId,
      ip: metadata.ip,
    });
    heads.set(row.stream, hash);
    since.push({ stream: row.stream, revision: row.revision, hash, position: row.position });
    update.run(JSON.stringify(data), JSON.stringify({ ...metadata, prevHash, hash }), row.position);
    if (row.stream === CHECKPOINT_STREAM)
      witness = {
        checkpointPosition: row.position,
        hash,
        number: data.number as number,
        position: data.position as number,
        digest: data.digest as string,
        keyId: data.keyId as string,
        signature: data.signature as string,
      };
  }
  return witness;
}
