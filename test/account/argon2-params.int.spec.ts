import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/infra/config.js';
import { Argon2PasswordHasher } from '../../src/infra/password/argon2.js';

const PRODUCTION = {
  NODE_ENV: 'production',
  PORTAL_SECRET: 'a-production-secret-of-at-least-32-characters',
  REGISTRY_URL: 'https://gateway.example/registries',
  AUDIT_SIGNING_KEY_FILE: '/run/secrets/audit-signing-key.pem',
  AUDIT_WITNESS_DIR: '/var/lib/portal-witness',
  // Production starts only with real senders (never reached in these tests).
  SMTP_URL: 'smtp://127.0.0.1:9',
  TWILIO_ACCOUNT_SID: 'AC-test',
  TWILIO_AUTH_TOKEN: 'twilio-test-token',
  TWILIO_FROM: '+355690000000',
};

describe('argon2id parameters', () => {
  it('production uses OWASP’s minimum by default: m=19 MiB, t=2, p=1', async () => {
    const config = loadConfig(PRODUCTION);
    const hasher = new Argon2PasswordHasher({
      memoryKib: config.ARGON2_MEMORY_KIB,
      timeCost: config.ARGON2_TIME_COST,
    });
    const hash = await hasher.hash('një fjalëkalim i gjatë');
    const params = hash.split('$')[3]!.split(',').sort();
    expect(hash.startsWith('$argon2id$v=19$')).toBe(true);
    expect(params).toEqual(['m=19456', 'p=1', 't=2']);
    expect(await hasher.verify(hash, 'një fjalëkalim i gjatë')).toBe(true);
    expect(await hasher.verify(hash, 'tjetër')).toBe(false);
    expect(await hasher.verify('not a hash', 'x')).toBe(false);
    expect(await hasher.dummyVerify('anything')).toBe(false);
  });

  it('production refuses cheaper parameters', () => {
    expect(() => loadConfig({ ...PRODUCTION, ARGON2_MEMORY_KIB: '1024' })).toThrow(/ARGON2_MEMORY_KIB/);
    expect(() => loadConfig({ ...PRODUCTION, ARGON2_TIME_COST: '1' })).toThrow(/ARGON2/);
  });
});
