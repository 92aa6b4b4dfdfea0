import { hkdfSync, randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { readOrCreatePrivateFile } from './private-files.js';

/**
 * One key per purpose, derived from the root secret with HKDF, so that no key serves two purposes.
 * `streamNames` names account streams and must never change while the data lives; the others may be
 * rotated by adding a version to their info string.
 */
export interface Keys {
  streamNames: Buffer;
  codes: Buffer;
  sessions: Buffer;
  tokens: Buffer;
}

function derive(secret: string, info: string): Buffer {
  return Buffer.from(
    hkdfSync('sha256', Buffer.from(secret, 'utf8'), Buffer.alloc(0), `portal-core/${info}`, 32),
  );
}

export function deriveKeys(secret: string): Keys {
  return {
    streamNames: derive(secret, 'stream-names/v1'),
    codes: derive(secret, 'codes/v1'),
    sessions: derive(secret, 'sessions/v1'),
    tokens: derive(secret, 'tokens/v1'),
  };
}

/** In development the secret is generated once into DATA_DIR, so restarts keep finding the same streams. */
export function loadOrCreateDevSecret(dataDir: string): string {
  return readOrCreatePrivateFile(
    join(dataDir, 'dev-secret'),
    () => `${randomBytes(32).toString('base64url')}\n`,
  ).trim();
}
