import {
  createHash,
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  type KeyObject,
  sign,
  verify,
} from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Config } from './config.js';
import { ensurePrivateDir, readOrCreatePrivateFile } from './private-files.js';

/** Where development keeps its generated key and its witness: inside DATA_DIR, so it protects nothing. */
export const DEV_AUDIT_DIR = 'dev-audit';
const DEV_KEY_FILE = 'signing-key.pem';

/** The key that signs checkpoints: its id travels with each signature, so a rotated key still verifies. */
export interface AuditSigner {
  keyId: string;
  /** The public half as base64 SPKI (DER): what AUDIT_VERIFY_KEYS lists. */
  publicKey: string;
  /** Where the private key was read from. */
  file: string;
  /** True for the key generated under DATA_DIR in development. */
  development: boolean;
  sign(message: string): string;
}

/** The public keys verification accepts, by key id. */
export type VerifyKeys = ReadonlyMap<string, KeyObject>;

export class AuditKeyError extends Error {
  constructor(
    readonly variable: string,
    detail: string,
  ) {
    super(`Invalid configuration: ${variable} ${detail}`);
    this.name = 'AuditKeyError';
  }
}

/** A key's id: the first 16 hex digits of the SHA-256 of its SPKI, so the id cannot name another key. */
export function keyIdOf(publicKey: KeyObject): string {
  const der = publicKey.export({ type: 'spki', format: 'der' });
  return `ed25519-${createHash('sha256').update(der).digest('hex').slice(0, 16)}`;
}

function signerFrom(privateKey: KeyObject, file: string, development: boolean): AuditSigner {
  if (privateKey.asymmetricKeyType !== 'ed25519')
    throw new AuditKeyError('AUDIT_SIGNING_KEY_FILE', `is not an Ed25519 key (${file})`);
  const publicKey = createPublicKey(privateKey);
  return {
    keyId: keyIdOf(publicKey),
    publicKey: publicKey.export({ type: 'spki', format: 'der' }).toString('base64'),
    file,
    development,
    sign: (message) => sign(null, Buffer.from(message, 'utf8'), privateKey).toString('base64'),
  };
}

/** A fresh Ed25519 key pair as PKCS#8 PEM and its AUDIT_VERIFY_KEYS entry: `npm run audit -- keygen`. */
export function generateAuditKey(): { pem: string; verifyEntry: string } {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const pem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  const spki = publicKey.export({ type: 'spki', format: 'der' }).toString('base64');
  return { pem, verifyEntry: `${keyIdOf(publicKey)}=${spki}` };
}

interface Warn {
  warn(obj: object, msg?: string): void;
}

/**
 * The signing key: AUDIT_SIGNING_KEY_FILE, or in development one generated once under
 * DATA_DIR/dev-audit/ (config.ts refuses production without the variable). Warns, without refusing,
 * when the file is writable by others: secret mounts are often 0444, which is fine, but a key anyone
 * may replace lets anyone sign.
 */
export function loadAuditSigner(config: Config, log: Warn): AuditSigner {
  if (config.AUDIT_SIGNING_KEY_FILE) {
    const file = config.AUDIT_SIGNING_KEY_FILE;
    let pem: string;
    try {
      pem = readFileSync(file, 'utf8');
    } catch (error) {
      throw new AuditKeyError('AUDIT_SIGNING_KEY_FILE', `cannot be read (${(error as Error).message})`);
    }
    let key: KeyObject;
    try {
      key = createPrivateKey({ key: pem, format: 'pem' });
    } catch {
      throw new AuditKeyError('AUDIT_SIGNING_KEY_FILE', `is not a PKCS#8 PEM private key (${file})`);
    }
    if ((statSync(file).mode & 0o022) !== 0)
      log.warn(
        { file, mode: (statSync(file).mode & 0o777).toString(8) },
        'the audit signing key file is writable by others: whoever can replace it can sign checkpoints',
      );
    return signerFrom(key, file, false);
  }
  const dir = join(config.DATA_DIR, DEV_AUDIT_DIR);
  const file = join(dir, DEV_KEY_FILE);
  ensurePrivateDir(dir);
  const pem = readOrCreatePrivateFile(file, () => generateAuditKey().pem);
  log.warn(
    { file },
    'audit checkpoints are signed with a development key kept in DATA_DIR: it protects nothing; set AUDIT_SIGNING_KEY_FILE',
  );
  return signerFrom(createPrivateKey(pem), file, true);
}

/** The development key's public half, for an auditor's CLI on a development data directory; null if none. */
export function devVerifyKeys(dataDir: string): VerifyKeys | null {
  const file = join(dataDir, DEV_AUDIT_DIR, DEV_KEY_FILE);
  if (!existsSync(file)) return null;
  const publicKey = createPublicKey(createPrivateKey(readFileSync(file, 'utf8')));
  return new Map([[keyIdOf(publicKey), publicKey]]);
}

/**
 * Parses AUDIT_VERIFY_KEYS (`keyId=base64-SPKI`, comma-separated). Each id must be the key's own
 * (keyIdOf): an id is a claim about a key, and a list that pairs an id with another key would make
 * a signature appear to come from a key it did not.
 */
export function parseVerifyKeys(text: string): VerifyKeys {
  const keys = new Map<string, KeyObject>();
  for (const entry of text
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean)) {
    const at = entry.indexOf('=');
    const id = entry.slice(0, at);
    let key: KeyObject;
    try {
      key = createPublicKey({ key: Buffer.from(entry.slice(at + 1), 'base64'), format: 'der', type: 'spki' });
    } catch {
      throw new AuditKeyError('AUDIT_VERIFY_KEYS', `holds a key for ${id} that is not base64 SPKI`);
    }
    if (key.asymmetricKeyType !== 'ed25519')
      throw new AuditKeyError('AUDIT_VERIFY_KEYS', `holds a key for ${id} that is not Ed25519`);
    if (keyIdOf(key) !== id)
      throw new AuditKeyError('AUDIT_VERIFY_KEYS', `names a key ${id} whose id is ${keyIdOf(key)}`);
    keys.set(id, key);
  }
  return keys;
}

/** Checks one signature; false for an unknown key id as for a wrong signature (the caller says which). */
export function verifySignature(
  keys: VerifyKeys,
  keyId: string,
  message: string,
  signature: string,
): boolean {
  const key = keys.get(keyId);
  if (!key) return false;
  try {
    return verify(null, Buffer.from(message, 'utf8'), key, Buffer.from(signature, 'base64'));
  } catch {
    return false;
  }
}
