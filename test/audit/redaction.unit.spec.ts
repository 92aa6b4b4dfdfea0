import { describe, expect, it } from 'vitest';
import { isSecretKey, REDACTED, redact } from '../../src/domain/audit/redaction.js';

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
  ])('treats %s as a secret', (key) => expect(isSecretKey(key)).toBe(true));

  it.each(['accountId', 'purpose', 'channels', 'occurredAt', 'question', 'personalDigest', 'status'])(
    'keeps %s',
    (key) => expect(isSecretKey(key)).toBe(false),
  );
});
