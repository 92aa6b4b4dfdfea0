import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Redis } from 'ioredis';
import type { Witness } from '../../domain/audit/chain-verifier.js';
import { ensurePrivateDir, PRIVATE_FILE_MODE } from '../../infra/private-files.js';

/**
 * The latest signed checkpoint, kept outside the event log. A log cut short before its latest
 * checkpoint still looks whole from the inside; the witness says how far it reached. It lives outside
 * DATA_DIR (AUDIT_WITNESS_DIR), and also in Redis when configured, and each checkpoint is logged at
 * info level, so that whoever rewrites the log must also reach every one of those places.
 */
export const WITNESS_FILE = 'audit-witness.json';

export interface WitnessStore {
  /** Where it is kept, for messages. */
  readonly where: string;
  write(witness: Witness): Promise<void>;
  read(): Promise<Witness | null>;
}

/** Reads a stored witness; throws when it is there but not shaped like one (edited, not missing). */
export function parseWitness(text: string, where: string): Witness {
  const parsed = JSON.parse(text) as Partial<Witness>;
  const numbers = [parsed.checkpointPosition, parsed.number, parsed.position];
  const texts = [parsed.hash, parsed.digest, parsed.keyId, parsed.signature];
  if (numbers.some((v) => typeof v !== 'number') || texts.some((v) => typeof v !== 'string'))
    throw new Error(`${where} is not a signed audit witness`);
  return parsed as Witness;
}

export function witnessFile(dir: string): WitnessStore {
  const file = join(dir, WITNESS_FILE);
  return {
    where: file,
    async write(witness) {
      ensurePrivateDir(dir);
      // One temporary file per process: instances sharing the directory must not write into each other's.
      const temporary = `${file}.${process.pid}.tmp`;
      writeFileSync(temporary, `${JSON.stringify(witness)}\n`, { mode: PRIVATE_FILE_MODE });
      renameSync(temporary, file);
    },
    async read() {
      return existsSync(file) ? parseWitness(readFileSync(file, 'utf8'), file) : null;
    },
  };
}

export function redisWitness(redis: Redis, key: string): WitnessStore {
  return {
    where: `redis key ${key}`,
    async write(witness) {
      await redis.set(key, JSON.stringify(witness));
    },
    async read() {
      const text = await redis.get(key);
      return text === null ? null : parseWitness(text, `redis key ${key}`);
    },
  };
}

/**
 * Every place at once: written to each (a place that fails is reported, the others still hold it),
 * read as the newest any of them holds, so deleting one copy hides nothing while another remains.
 */
export function witnessEverywhere(stores: WitnessStore[]): WitnessStore {
  return {
    where: stores.map((store) => store.where).join(' and '),
    async write(witness) {
      const results = await Promise.allSettled(stores.map((store) => store.write(witness)));
      const failed = results.flatMap((result, i) =>
        result.status === 'rejected' ? [`${stores[i]!.where}: ${String(result.reason)}`] : [],
      );
      if (failed.length > 0) throw new Error(`the audit witness was not written to ${failed.join('; ')}`);
    },
    async read() {
      let newest: Witness | null = null;
      for (const store of stores) {
        const witness = await store.read();
        if (witness && (!newest || witness.checkpointPosition > newest.checkpointPosition)) newest = witness;
      }
      return newest;
    },
  };
}
