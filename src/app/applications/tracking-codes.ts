import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Keys } from '../../infra/keys.js';

/** 125 random bits (of 128 drawn) in base32 groups of five: easy to read aloud, impossible to guess. */
export function newTrackingCode(): string {
  const alphabet = 'ABCDEFGHJKMNPQRSTVWXYZ0123456789';
  const bytes = randomBytes(16);
  let bits = 0n;
  for (const byte of bytes) bits = (bits << 8n) | BigInt(byte);
  let text = '';
  for (let i = 0; i < 25; i++) {
    text = alphabet[Number(bits & 31n)] + text;
    bits >>= 5n;
  }
  return text
    .match(/.{1,5}/g)!
    .join('-')
    .replace(/^/, 'TC-');
}

/** Accepts the code as printed or typed loosely (lower case, without dashes or the TC- prefix). */
export function normaliseTrackingCode(code: string): string {
  const compact = code
    .toUpperCase()
    .replace(/^TC-?/, '')
    .replace(/[^A-Z0-9]/g, '');
  return compact;
}

/** Only this keyed hash is stored (in ApplicationSubmitted); the code itself is shown once. */
export function trackingCodeHash(keys: Keys, code: string): string {
  return createHmac('sha256', keys.codes)
    .update(`tracking-code/${normaliseTrackingCode(code)}`)
    .digest('hex');
}

/**
 * A foreign national's application id is derived from the tracking code with the stream-name key,
 * so the code finds its stream without a read model; the id does not reveal the code.
 */
export function applicationIdForTrackingCode(keys: Keys, code: string): string {
  return createHmac('sha256', keys.streamNames)
    .update(`tracking-code/${normaliseTrackingCode(code)}`)
    .digest('hex')
    .slice(0, 32);
}

export const sameHash = (a: string, b: string) =>
  a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));
