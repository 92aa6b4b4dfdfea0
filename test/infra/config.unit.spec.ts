import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/infra/config.js';

/** Everything production requires, real senders included. */
const PRODUCTION_BASE = {
  NODE_ENV: 'production',
  PORTAL_SECRET: 'x'.repeat(32),
  REGISTRY_URL: 'http://r',
  AUDIT_SIGNING_KEY_FILE: '/run/secrets/audit-signing-key.pem',
  AUDIT_WITNESS_DIR: '/var/lib/portal-witness',
  SMTP_URL: 'smtp://mail.example:25',
  TWILIO_ACCOUNT_SID: 'AC0123',
  TWILIO_AUTH_TOKEN: 'twilio-token',
  TWILIO_FROM: '+355690000000',
};

describe('configuration', () => {
  it('has the contract defaults', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      PORT: 3000,
      HOST: '127.0.0.1',
      DATA_DIR: './data',
      DEV_TOOLS: false,
      LIMIT_SIGNIN_PER_IP_PER_MINUTE: 100,
      LIMIT_CODES_PER_ACCOUNT_PER_HOUR: 10,
      ADMIN_IDENTIFIERS: [],
      LIMIT_REQUESTS_PER_IP_PER_MINUTE: 1200,
      PORTAL_ORIGINS: [],
      DELIVERY_TIMEOUT_MS: 10_000,
      DELIVERY_RETRY_DELAYS_MS: [2_000, 10_000, 60_000],
    });
    expect(loadConfig({ DELIVERY_RETRY_DELAYS_MS: ' 500 , 1500 ' }).DELIVERY_RETRY_DELAYS_MS).toEqual([
      500, 1500,
    ]);
    expect(
      loadConfig({ PORTAL_ORIGINS: 'https://portal.example.al, http://127.0.0.1:8080' }).PORTAL_ORIGINS,
    ).toEqual(['https://portal.example.al', 'http://127.0.0.1:8080']);
  });

  it.each([
    [{ PORT: 'eighty' }, 'PORT'],
    [{ PORT: '70000' }, 'PORT'],
    [{ EVENTSTORE_URL: 'http://x' }, 'EVENTSTORE_URL'],
    [{ REDIS_URL: 'not a url' }, 'REDIS_URL'],
    [{ PORTAL_SECRET: 'short' }, 'PORTAL_SECRET'],
    [{ DEV_TOOLS: 'yes' }, 'DEV_TOOLS'],
    [{ PORTAL_ORIGINS: 'https://portal.example.al/' }, 'PORTAL_ORIGINS'],
    [{ PORTAL_ORIGINS: 'portal.example.al' }, 'PORTAL_ORIGINS'],
    [{ LIMIT_REQUESTS_PER_IP_PER_MINUTE: '0' }, 'LIMIT_REQUESTS_PER_IP_PER_MINUTE'],
    [{ DELIVERY_RETRY_DELAYS_MS: '2000,soon' }, 'DELIVERY_RETRY_DELAYS_MS'],
    [{ DELIVERY_RETRY_DELAYS_MS: '-5' }, 'DELIVERY_RETRY_DELAYS_MS'],
    [{ DELIVERY_RETRY_DELAYS_MS: Array(11).fill('1').join(',') }, 'DELIVERY_RETRY_DELAYS_MS'],
    [{ DELIVERY_TIMEOUT_MS: '0' }, 'DELIVERY_TIMEOUT_MS'],
    [
      { NODE_ENV: 'production', DEV_TOOLS: '1', PORTAL_SECRET: 'x'.repeat(32), REGISTRY_URL: 'http://r' },
      'DEV_TOOLS',
    ],
    [{ NODE_ENV: 'production', REGISTRY_URL: 'http://r' }, 'PORTAL_SECRET'],
    [{ NODE_ENV: 'production', PORTAL_SECRET: 'x'.repeat(32) }, 'REGISTRY_URL'],
    [{ ...PRODUCTION_BASE, SMTP_URL: undefined }, 'SMTP_URL'],
    [{ ...PRODUCTION_BASE, TWILIO_ACCOUNT_SID: undefined }, 'TWILIO_ACCOUNT_SID'],
    [{ ...PRODUCTION_BASE, TWILIO_AUTH_TOKEN: undefined }, 'TWILIO_AUTH_TOKEN'],
    [{ ...PRODUCTION_BASE, TWILIO_FROM: undefined }, 'TWILIO_FROM'],
    // The fault injection (POST /dev/faults/...) exists for the fault tests only.
    [{ ...PRODUCTION_BASE, TEST_FAULTS: '1' }, 'TEST_FAULTS'],
  ])('refuses %j naming %s', (env, variable) => {
    try {
      loadConfig(env);
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as ConfigError).variable).toBe(variable);
      expect((error as Error).message.split('\n')).toHaveLength(1);
      expect((error as Error).message).toContain(variable);
    }
  });

  it('normalises the admin identifiers', () => {
    expect(loadConfig({ ADMIN_IDENTIFIERS: ' j00101999w, ,J05515001C' }).ADMIN_IDENTIFIERS).toEqual([
      'J00101999W',
      'J05515001C',
    ]);
  });
});

describe('production', () => {
  it('starts with every sender configured', () => {
    expect(loadConfig(PRODUCTION_BASE).NODE_ENV).toBe('production');
  });
});
