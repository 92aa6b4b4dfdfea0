import { join } from 'node:path';
import type { Redis } from 'ioredis';
import {
  type AuditSigner,
  DEV_AUDIT_DIR,
  devVerifyKeys,
  parseVerifyKeys,
  type VerifyKeys,
} from '../../infra/audit-signing-key.js';
import type { Config } from '../../infra/config.js';
import { redisWitness, type WitnessStore, witnessEverywhere, witnessFile } from './witness.js';

/** Where the witness file lives: AUDIT_WITNESS_DIR, or in development DATA_DIR/dev-audit/. */
export function witnessDir(config: Config): string {
  return config.AUDIT_WITNESS_DIR ?? join(config.DATA_DIR, DEV_AUDIT_DIR);
}

/** The witness's key in Redis, under the deployment's prefix (one witness per shared log). */
export const witnessRedisKey = (config: Config) => `${config.REDIS_KEY_PREFIX}audit:witness`;

/** Every place the witness is kept: its directory, and Redis when configured. */
export function witnessStoreFor(config: Config, redis: Redis | null, file?: string): WitnessStore {
  const stores = [witnessFile(file ?? witnessDir(config))];
  if (redis) stores.push(redisWitness(redis, witnessRedisKey(config)));
  return witnessEverywhere(stores);
}

/**
 * The keys checkpoints are verified with: AUDIT_VERIFY_KEYS, plus (for the server) the public half of
 * its own signing key, so a server whose operator listed only old keys still verifies what it signs.
 * Without either, development falls back to the generated key under DATA_DIR; null when there is none.
 */
export function verifyKeysFor(
  config: Config,
  signer: Pick<AuditSigner, 'keyId' | 'publicKey'> | null,
  production = config.NODE_ENV === 'production',
): VerifyKeys | null {
  const listed = config.AUDIT_VERIFY_KEYS ? parseVerifyKeys(config.AUDIT_VERIFY_KEYS) : new Map();
  const own = signer ? parseVerifyKeys(`${signer.keyId}=${signer.publicKey}`) : new Map();
  const keys = new Map([...listed, ...own]);
  if (keys.size > 0) return keys;
  return production ? null : devVerifyKeys(config.DATA_DIR);
}
