/**
 * What an audit answer or export may show of an event's data. Events of every feature pass through
 * here and new ones keep coming, so two rules apply, at any depth, and either one hides a value:
 *
 * 1. The key's name says secret (passwordHash, codeHashes, pin, nonce, changeTokenHash). A key that
 *    merely looks like a secret is hidden too: better a redacted country code than a leaked code hash.
 * 2. The value looks like key material, whatever its key is called: a password-hash encoding
 *    (argon2, bcrypt, scrypt, crypt), 32 or more hex digits (an HMAC, a hash, a 128-bit key), or
 *    base64/base64url of 32 or more bytes (a token). A name rule alone misses `ref: <HMAC>`.
 *
 * Rule 2 spares only hex under ALLOWED_HEX_KEYS (and arrays of it): identifiers that are hex by
 * construction and that auditors need to follow a case, none of which lets anyone act. Anything else
 * there that looks like key material is still hidden, and name rule 1 applies to them as well.
 *
 * The chain's own hash, prevHash and personalDigest live in metadata, not data: audit-entry.ts picks
 * them out field by field and they never pass through here.
 */
export const REDACTED = '[REDACTED]';

/** Key names that hold a secret wherever these letters appear in them (temporaryPassword, oldpassword). */
const SECRET_SUBSTRINGS = /(password|passwd|passphrase|secret|token|credential|answer|private)/i;

/**
 * Key names that hold a secret when one of their words is one of these (codeHash, codeHashes, pin,
 * apiKey, otp_code). Matched as whole words, so `shipping` is not a pin and `monkey` not a key.
 */
const SECRET_WORDS = new Set([
  'code',
  'codes',
  'hash',
  'hashes',
  'hmac',
  'mac',
  'key',
  'keys',
  'salt',
  'pin',
  'pins',
  'otp',
  'otps',
  'nonce',
  'nonces',
  'verifier',
  'signature',
  'cookie',
  'pwd',
  'cvv',
]);

/**
 * Non-secret identifiers that are hex by construction:
 * - accountId (and the fields naming one): a keyed hash of a personal number, 128 bits; the stream
 *   name the audit log is filtered by.
 * - applicationId, documentId: the ids of streams (a foreign national's application id is derived
 *   from the tracking code with the stream-name key; it does not reveal the code).
 * - sessionId: the HMAC of a 256-bit random token. It cannot be turned back into the token nor used
 *   in its place (the portal only ever looks sessions up by hashing the token presented), and
 *   auditors need it to tie a session's start, end and use together in an investigation.
 * - sha256, digest, previousDigest, personalDigest: digests of documents, registry records and
 *   checkpoints, kept so an auditor can check them; their inputs are shown to auditors anyway or are
 *   the log itself.
 */
const ALLOWED_HEX_KEYS = new Set([
  'accountId',
  'applicantAccountId',
  'uploaderAccountId',
  'applicationId',
  'documentId',
  'sessionId',
  'sha256',
  'digest',
  'previousDigest',
  'personalDigest',
]);

/** argon2, bcrypt, scrypt, PBKDF2 and crypt(3) encodings, anywhere in the text. */
const PASSWORD_HASH = /\$(argon2(?:id|i|d)|2[abxy]?|scrypt|pbkdf2[\w-]*|[156]|7)\$/;
const HEX = /^(?:0x)?[0-9a-f]{32,}$/i;
/** Within a dotted text, 40 or more: a challenge id is an account id (32 hex) joined to random bits. */
const HEX_PART = /^[0-9a-f]{40,}$/i;
/** 32 bytes are 43 characters of base64 without padding. */
const BASE64 = /^[A-Za-z0-9+/_-]{43,}={0,2}$/;

function wordsOf(key: string): string[] {
  return key
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean);
}

export function isSecretKey(key: string): boolean {
  return SECRET_SUBSTRINGS.test(key) || wordsOf(key).some((word) => SECRET_WORDS.has(word));
}

/**
 * Whether a text looks like key material. Checked whole and in its `.`-separated parts (a JWT, or an
 * id joined to a token); hex alone from 32 digits (128 bits), hex in a part from 40. Base64 must mix upper and lower case: random bytes always do (the odds
 * against are below 1e-9 for 43 characters), while long readable ids (lower-case words and UUIDs
 * joined by dashes) never do.
 */
export function looksLikeSecret(text: string, hexAllowed = false): boolean {
  if (PASSWORD_HASH.test(text)) return true;
  if (HEX.test(text)) return !hexAllowed;
  const random = (part: string) => BASE64.test(part) && /[A-Z]/.test(part) && /[a-z]/.test(part);
  return random(text) || text.split('.').some((part) => HEX_PART.test(part) || random(part));
}

/** What stands for a value nested deeper than MAX_SHOWN_DEPTH. */
export const TOO_DEEP = '[NESTED TOO DEEP]';
/**
 * Levels of an event's data an audit answer or export shows. Inputs are bounded far below this now,
 * but an event stored before that may be nested thousands deep: shown whole, it would overflow every
 * recursive serialiser on its way out (the GraphQL answer, the export's JSON lines).
 */
export const MAX_SHOWN_DEPTH = 64;

type Container = Record<string, unknown> | unknown[];
interface Job {
  value: unknown;
  hexAllowed: boolean;
  depth: number;
  into: Container;
  at: string | number;
}

/**
 * Sets an own property whatever the key is called. A plain `copy[key] =` with the key `__proto__`
 * (which JSON.parse gives an event's data as an ordinary key) would set the copy's prototype instead,
 * and the key would vanish from the answer.
 */
function setOwn(into: Container, at: string | number, value: unknown): void {
  Object.defineProperty(into, at, { value, enumerable: true, writable: true, configurable: true });
}

/** One value's redacted form; a container comes back empty and its members are queued as jobs. */
function redactOne(job: Job, queue: Job[]): unknown {
  const { value, hexAllowed, depth } = job;
  if (typeof value === 'string') return looksLikeSecret(value, hexAllowed) ? REDACTED : value;
  if (value === null || typeof value !== 'object') return value;
  if (depth > MAX_SHOWN_DEPTH) return TOO_DEEP;
  if (Array.isArray(value)) {
    const copy: unknown[] = new Array(value.length);
    for (let index = 0; index < value.length; index += 1)
      queue.push({ value: value[index], hexAllowed, depth: depth + 1, into: copy, at: index });
    return copy;
  }
  const copy: Record<string, unknown> = {};
  for (const [key, inner] of Object.entries(value as Record<string, unknown>)) {
    // Every key is set now, in the original order; a queued member's value replaces its placeholder.
    setOwn(copy, key, REDACTED);
    if (!isSecretKey(key))
      queue.push({
        value: inner,
        hexAllowed: ALLOWED_HEX_KEYS.has(key),
        depth: depth + 1,
        into: copy,
        at: key,
      });
  }
  return copy;
}

/**
 * A deep copy of `value` with every secret replaced by REDACTED and anything nested deeper than
 * MAX_SHOWN_DEPTH by TOO_DEEP. Never mutates its argument; no recursion, whatever the depth.
 */
export function redact(value: unknown): unknown {
  const root: unknown[] = [undefined];
  const queue: Job[] = [{ value, hexAllowed: false, depth: 1, into: root, at: 0 }];
  while (queue.length > 0) {
    const job = queue.pop()!;
    setOwn(job.into, job.at, redactOne(job, queue));
  }
  return root[0];
}
