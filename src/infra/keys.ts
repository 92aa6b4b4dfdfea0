import { hkdfSync, randomBytes } from 'node:crypto';
import { existsSync, linkSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

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
  const file = join(dataDir, 'dev-secret');
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  mkdirSync(dataDir, { recursive: true });
  const secret = randomBytes(32).toString('base64url');
  // Two processes started together on one DATA_DIR must end with one secret: each writes its own
  // temporary file and links it into place, which fails for the second, who then reads the first's.
  const mine = `${file}.${process.pid}.${randomBytes(4).toString('hex')}`;
  writeFileSync(mine, `${secret}\n`, { mode: 0o600, flag: 'wx' });
  try {
    linkSync(mine, file);
    return secret;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    return readFileSync(file, 'utf8').trim();
  } finally {
    rmSync(mine, { force: true });
  }
}
