import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { codeHash } from '../../src/app/account/codes.js';
import { freshChangeToken, freshTemporaryPassword } from '../../src/app/account/recovery-secrets.js';
import { trackingCodeHash } from '../../src/app/applications/tracking-codes.js';
import type {
  AccountRegistered,
  OtpIssued,
  PasswordChangeAuthorised,
  SecurityQuestionSet,
  SessionStarted,
  TemporaryPasswordIssued,
} from '../../src/domain/account/events.js';
import {
  isSecretKey,
  looksLikeSecret,
  MAX_SHOWN_DEPTH,
  REDACTED,
  redact,
  TOO_DEEP,
} from '../../src/domain/audit/redaction.js';
import { deriveKeys } from '../../src/infra/keys.js';
import { newSessionToken, sessionIdFor } from '../../src/infra/sessions/port.js';

const keys = deriveKeys('test-secret-test-secret-test-secret-0123456789');
const ACCOUNT = 'a3f1c2d4e5b60718293a4b5c6d7e8f90';
/** The names whose hex values are kept (redaction.ts ALLOWED_HEX_KEYS). */
const ALLOWED = [
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
];
const ARGON2 = '$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaGhhc2hoYXNoaGFzaA';

describe('redaction', () => {
  it('hides secrets by key name at any depth, keeps the facts, and never mutates its input', () => {
    const data = {
      accountId: 'a1',
      passwordHash: '$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA',
      challenge: { codeHash: 'f00d', purpose: 'SIGN_IN', channels: ['SMS', 'EMAIL'] },
      recovery: [{ answerHash: 'x', securityAnswer: 'Tirana' }, { question: 'Qyteti?' }],
      temporaryPassword: '483920',
      sessionToken: 'tok',
      trackingCode: 'TRK-123',
      clientSecret: 's',
      personal: { email: 'a@example.al' },
      note: '$argon2id$v=19$m=1024,t=1,p=1$abc$def',
    };
    const copy = structuredClone(data);
    expect(redact(data)).toEqual({
      accountId: 'a1',
      passwordHash: REDACTED,
      challenge: { codeHash: REDACTED, purpose: 'SIGN_IN', channels: ['SMS', 'EMAIL'] },
      recovery: [{ answerHash: REDACTED, securityAnswer: REDACTED }, { question: 'Qyteti?' }],
      temporaryPassword: REDACTED,
      sessionToken: REDACTED,
      trackingCode: REDACTED,
      clientSecret: REDACTED,
      personal: { email: 'a@example.al' },
      note: REDACTED,
    });
    expect(data).toEqual(copy);
  });

  it.each([
    'code',
    'Code',
    'otpCode',
    'newPasswordHash',
    'hash',
    'apiKey',
    'salt',
    'refreshToken',
    'password',
    'codeHashes',
    'pin',
    'PIN',
    'userPin',
    'nonce',
    'verifier',
    'pkceVerifier',
    'tokenHash',
    'changeTokenHash',
    'temporaryPasswordHash',
    'oldpassword',
    'hmac',
    'HMACValue',
    'signature',
    'private_key',
    'otp_code',
  ])('treats %s as a secret', (key) => expect(isSecretKey(key)).toBe(true));

  it.each([
    'accountId',
    'purpose',
    'channels',
    'occurredAt',
    'question',
    'personalDigest',
    'status',
    'shipping',
    'monkey',
    'opinion',
    'sessionId',
    'sha256',
  ])('keeps %s', (key) => expect(isSecretKey(key)).toBe(false));
});

describe('redaction of values that look like key material, whatever their key', () => {
  const hmac = codeHash(keys.codes, `${ACCOUNT}.AbCdEfGhIjKlMnOp`, '123456');
  const token = newSessionToken();

  it.each([
    ['an HMAC in hex', hmac],
    ['an upper-case HMAC with 0x', `0x${hmac.toUpperCase()}`],
    ['a 128-bit key in hex', 'c0ffee00c0ffee00c0ffee00c0ffee00'],
    ['a 256-bit token in base64url', token],
    ['a 256-bit key in base64', 'q3Tz9Xb0L2mVw8YcKpR1sN5uHjD7fGa4eQ6iOvB+/Zk='],
    ['an id joined to a token', `${ACCOUNT}.${token}`],
    ['an argon2 hash', ARGON2],
    ['a bcrypt hash', '$2b$12$R9h/cIPz0gi.URNNX3kh2OPST9/PgBkqquzi.Ss7KIUgO2t0jWMUW'],
    ['a JWT', 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U'],
  ])('hides %s under an innocent name', (_what, value) => {
    expect(looksLikeSecret(value)).toBe(true);
    expect(redact({ ref: value, nested: [{ note: value }] })).toEqual({
      ref: REDACTED,
      nested: [{ note: REDACTED }],
    });
  });

  it.each([
    ['a UUID', '3b241101-e2bb-4255-8caf-4136c566a962'],
    ['an id with a UUID', 'notice-3b241101-e2bb-4255-8caf-4136c566a962'],
    ['a challenge id', `${ACCOUNT}.AbCdEfGhIjKlMnOp`],
    ['a service id', 'DPSHTRR-LICENCE-CONVERSION'],
    ['an instant', '2026-11-27T08:00:00.000Z'],
    ['a sentence', 'Ju lutem sillni certifikatën e lindjes dhe pasaportën e vlefshme.'],
    ['an e-mail address', 'arben.hoxha.long.address@example.al'],
    ['a stream name', `account-${ACCOUNT}`],
  ])('keeps %s', (_what, value) => {
    expect(looksLikeSecret(value)).toBe(false);
    expect(redact({ note: value })).toEqual({ note: value });
  });

  it('keeps hex identifiers and digests under the allowed names, but nothing else that looks secret there', () => {
    const sha = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';
    const data = {
      accountId: ACCOUNT,
      applicant: { accountId: ACCOUNT, kind: 'CITIZEN' },
      documentId: 'c0ffee00c0ffee00c0ffee00c0ffee00',
      sessionId: sha,
      sha256: sha,
      digest: sha,
      uploaderAccountId: ACCOUNT,
      ref: sha,
    };
    expect(redact(data)).toEqual({ ...data, ref: REDACTED });
    expect(redact({ accountId: ARGON2, sessionId: token })).toEqual({
      accountId: REDACTED,
      sessionId: REDACTED,
    });
  });
});

describe('redaction of the account and recovery events as written', () => {
  it('hides every hash and keeps the ids auditors follow', () => {
    const temporary = freshTemporaryPassword(keys.codes);
    const change = freshChangeToken(keys.tokens, ACCOUNT);
    const sessionId = sessionIdFor(keys.sessions, newSessionToken());
    const registered: AccountRegistered['data'] = {
      accountId: ACCOUNT,
      kind: 'CITIZEN',
      registeredAt: '2026-11-27T08:00:00.000Z',
      passwordHash: ARGON2,
      securityAnswerHash: ARGON2,
      personal: {
        identifier: 'J00101999W',
        displayName: 'Arben Hoxha',
        email: 'arben@example.al',
        phone: '+355691234567',
        securityQuestion: 'Qyteti?',
      },
    };
    const issued: TemporaryPasswordIssued['data'] = {
      accountId: ACCOUNT,
      temporaryPasswordId: temporary.temporaryPasswordId,
      recoveryId: `${ACCOUNT}.AbCdEfGhIjKlMnOp`,
      via: 'EMAIL',
      passwordHash: temporary.passwordHash,
      requiresSecurityQuestion: false,
      channels: ['EMAIL'],
      issuedAt: '2026-11-27T08:00:00.000Z',
      expiresAt: '2026-11-27T08:15:00.000Z',
    };
    const authorised: PasswordChangeAuthorised['data'] = {
      accountId: ACCOUNT,
      changeTokenHash: change.tokenHash,
      requiresSecurityQuestion: true,
      authorisedAt: '2026-11-27T08:00:00.000Z',
      expiresAt: '2026-11-27T08:15:00.000Z',
    };
    const questionSet: SecurityQuestionSet['data'] = {
      accountId: ACCOUNT,
      securityAnswerHash: ARGON2,
      setAt: '2026-11-27T08:00:00.000Z',
      personal: { securityQuestion: 'Qyteti?' },
    };
    const otp = {
      accountId: ACCOUNT,
      challengeId: `${ACCOUNT}.AbCdEfGhIjKlMnOp`,
      codeHash: codeHash(keys.codes, 'c', '123456'),
    } satisfies Partial<OtpIssued['data']>;
    const session: SessionStarted['data'] = {
      accountId: ACCOUNT,
      sessionId,
      startedAt: '2026-11-27T08:00:00.000Z',
      expiresAt: '2026-11-27T20:00:00.000Z',
    };
    const foreigner = { applicant: { kind: 'FOREIGNER', accountId: null, trackingCodeHash: '' } };
    foreigner.applicant.trackingCodeHash = trackingCodeHash(keys, 'TC-ABCDE-FGHJK-MNPQR-STVWX-YZ012');
    const events = [registered, issued, authorised, questionSet, otp, session, foreigner];
    const shown = JSON.stringify(events.map(redact));
    for (const secret of [
      ARGON2,
      temporary.passwordHash,
      change.tokenHash,
      otp.codeHash,
      foreigner.applicant.trackingCodeHash,
    ])
      expect(shown).not.toContain(secret);
    expect(shown).toContain(ACCOUNT);
    expect(shown).toContain(sessionId);
    expect(shown).toContain(otp.challengeId);
    expect(redact(authorised)).toMatchObject({ changeTokenHash: REDACTED, requiresSecurityQuestion: true });
  });

  it('never shows a random key placed anywhere under any name but the allowed ones (property)', () => {
    const secret = fc.oneof(
      fc.uint8Array({ minLength: 20, maxLength: 64 }).map((b) => Buffer.from(b).toString('hex')),
      fc.uint8Array({ minLength: 32, maxLength: 64 }).map((b) => Buffer.from(b).toString('base64url')),
      fc.uint8Array({ minLength: 32, maxLength: 64 }).map((b) => Buffer.from(b).toString('base64')),
    );
    const name = fc.string({ minLength: 1, maxLength: 12 }).filter((key) => !ALLOWED.includes(key));
    const path = fc.array(fc.oneof(name, fc.nat(3)), { minLength: 1, maxLength: 4 });
    fc.assert(
      fc.property(secret, path, (value, steps) => {
        // Builds {a: [{b: value}]} and the like from the path; a number makes an array.
        const built = steps.reduceRight<unknown>(
          (inner, step) => (typeof step === 'number' ? [inner] : { [step]: inner }),
          value,
        );
        const shown = JSON.stringify(redact(built));
        // Random base64 without both cases is the rare exception the rule admits (odds below 1e-9).
        const hex = /^[0-9a-f]+$/.test(value);
        if (!hex && !(/[A-Z]/.test(value) && /[a-z]/.test(value))) return;
        expect(shown).not.toContain(value);
      }),
      { numRuns: 300 },
    );
  });
});

describe('redaction at any depth', () => {
  it('keeps the order of keys and copies any JSON value exactly when nothing in it is secret', () => {
    const keysInOrder = { zeta: 1, password: 'x', alpha: { b: [1, 'two', null] }, mid: true };
    expect(Object.keys(redact(keysInOrder) as object)).toEqual(['zeta', 'password', 'alpha', 'mid']);
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 6 }), (value) => {
        const plain = JSON.parse(JSON.stringify(value ?? null), (key, inner) =>
          isSecretKey(key) || (typeof inner === 'string' && looksLikeSecret(inner)) ? undefined : inner,
        );
        expect(redact(plain)).toEqual(plain);
      }),
    );
  });

  it('keeps a key named __proto__ as data, neither dropping it nor making it the prototype', () => {
    const stored = JSON.parse('{"outer":{"__proto__":{"note":"kept"},"other":1}}');
    const shown = redact(stored) as { outer: Record<string, unknown> };
    expect(Object.keys(shown.outer)).toEqual(['__proto__', 'other']);
    expect(Object.getPrototypeOf(shown.outer)).toBe(Object.prototype);
    expect(JSON.stringify(shown)).toBe(JSON.stringify(stored));
  });

  it('shows MAX_SHOWN_DEPTH levels and TOO_DEEP below them, for data nested 100,000 deep', () => {
    const root: Record<string, unknown> = {};
    let inner = root;
    for (let i = 1; i < 100_000; i += 1) {
      const next: Record<string, unknown> = {};
      inner.a = next;
      inner = next;
    }
    let shown = redact(root) as Record<string, unknown>;
    for (let depth = 1; depth < MAX_SHOWN_DEPTH; depth += 1) shown = shown.a as Record<string, unknown>;
    expect(shown.a).toBe(TOO_DEEP);
  });
});
