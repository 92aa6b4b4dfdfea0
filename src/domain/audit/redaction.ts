/**
 * What an audit answer or export may show of an event's data. Secrets are recognised by the name of
 * their key, at any depth, because events of every feature pass through here and new ones keep
 * coming: a key that merely looks like a secret is hidden too (better a redacted country code than a
 * leaked code hash). Values that are argon2 hashes are hidden whatever their key is called.
 */
export const REDACTED = '[REDACTED]';

/** Key names that hold a secret wherever the word appears in them (passwordHash, temporaryPassword). */
const SECRET_WORDS = /(password|passwd|secret|token|answer|otp|credential)/i;
/** Key names that hold a secret when they end with the word (codeHash, trackingCode, apiKey, salt). */
const SECRET_ENDINGS = /(hash|code|key|salt)$/i;
const ARGON2_VALUE = /^\$argon2(id|i|d)\$/;

export function isSecretKey(key: string): boolean {
  return SECRET_WORDS.test(key) || SECRET_ENDINGS.test(key);
}

/** A deep copy of `value` with every secret replaced by REDACTED. Never mutates its argument. */
export function redact(value: unknown): unknown {
  if (typeof value === 'string') return ARGON2_VALUE.test(value) ? REDACTED : value;
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map(redact);
  const copy: Record<string, unknown> = {};
  for (const [key, inner] of Object.entries(value as Record<string, unknown>))
    copy[key] = isSecretKey(key) ? REDACTED : redact(inner);
  return copy;
}
