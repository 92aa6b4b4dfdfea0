import { isAbsolute, relative, resolve } from 'node:path';
import { z } from 'zod';
import { commaList } from './env-list.js';
import { instanceEnv } from './instance-config.js';
import { opsEnv } from './ops-config.js';

/** Whether `path` is `dir` itself or lies under it. */
export function isInside(path: string, dir: string): boolean {
  const fromDir = relative(resolve(dir), resolve(path));
  return fromDir === '' || (!fromDir.startsWith('..') && !isAbsolute(fromDir));
}

const flag = z.enum(['0', '1', 'true', 'false']).transform((v) => v === '1' || v === 'true');

const url = (protocols: string[]) =>
  z
    .string()
    .url()
    .refine((v) => protocols.some((p) => v.startsWith(`${p}:`)), {
      message: `must start with ${protocols.map((p) => `${p}://`).join(' or ')}`,
    });

/** `https://portal.example.al` or `http://127.0.0.1:8080`: a scheme and a host, nothing after. */
function isOrigin(value: string): boolean {
  try {
    const url = new URL(value);
    return (url.protocol === 'https:' || url.protocol === 'http:') && url.origin === value;
  } catch {
    return false;
  }
}

const EnvSchema = z
  .object({
    // METRICS, METRICS_PORT, METRICS_ALLOW, READY_MAX_LAG_MS (ops-config.ts).
    ...opsEnv,
    NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
    PORT: z.coerce.number().int().min(0).max(65535).default(3000),
    HOST: z.string().min(1).default('127.0.0.1'),
    DATA_DIR: z.string().min(1).default('./data'),
    EVENTSTORE_URL: url(['kurrentdb', 'esdb', 'esdb+discover', 'kurrentdb+discover']).optional(),
    REDIS_URL: url(['redis', 'rediss']).optional(),
    /** Prefix of every Redis key, so that instances of one deployment share and test runs do not. */
    REDIS_KEY_PREFIX: z.string().min(1).default('portal:'),
    SMTP_URL: url(['smtp', 'smtps']).optional(),
    SMTP_FROM: z.string().email().default('no-reply@e-albania.al'),
    TWILIO_ACCOUNT_SID: z.string().min(1).optional(),
    TWILIO_AUTH_TOKEN: z.string().min(1).optional(),
    TWILIO_FROM: z.string().min(1).optional(),
    /** Base URL of the Twilio API; only tests point it elsewhere (a loopback server). */
    TWILIO_API_URL: z.string().url().optional(),
    /**
     * How long one delivery attempt may take (the SMTP connection, greeting and each reply; the Twilio
     * request) before it counts as failed and waits for its retry. Nobody waits for it: sign-in answers
     * at once; this bounds how long a stalled provider holds a connection and a pending code.
     */
    DELIVERY_TIMEOUT_MS: z.coerce.number().int().min(100).max(120_000).default(10_000),
    /**
     * The pauses before each retry of a delivery that failed for a reason that may pass (a 5xx, a
     * timeout); their number is the number of retries, after which the failure is recorded as final.
     */
    DELIVERY_RETRY_DELAYS_MS: commaList('2000,10000,60000')
      .transform((delays) => delays.map(Number))
      .refine(
        (delays) =>
          delays.length <= 10 && delays.every((d) => Number.isInteger(d) && d >= 0 && d <= 3_600_000),
        'must be at most 10 comma-separated pauses in milliseconds (0 to 3600000)',
      ),
    PORTAL_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
    DEV_TOOLS: flag.default(false),
    REGISTRY_URL: url(['http', 'https']).optional(),
    ADMIN_IDENTIFIERS: commaList('').transform((ids) => ids.map((id) => id.toUpperCase())),
    LIMIT_SIGNIN_PER_IP_PER_MINUTE: z.coerce.number().int().positive().default(100),
    LIMIT_CODES_PER_ACCOUNT_PER_HOUR: z.coerce.number().int().positive().default(10),
    /** Every HTTP request from one client address (after TRUST_PROXY); /health and /ready excepted. */
    LIMIT_REQUESTS_PER_IP_PER_MINUTE: z.coerce.number().int().positive().default(1200),
    /**
     * Origins of portal front ends on other sites, allowed by CORS and on the websocket upgrade
     * (comma-separated, each exactly an origin: scheme://host[:port]). Unset: same origin only.
     */
    PORTAL_ORIGINS: commaList('').refine(
      (origins) => origins.every(isOrigin),
      'must be origins like https://portal.example.al',
    ),
    /**
     * Load shedding: above this event-loop delay (mean over a second; a loop blocked the whole second
     * counts as infinite) requests get 503 at once. 0 turns shedding off (the test harness does).
     */
    LOAD_SHED_EVENT_LOOP_DELAY_MS: z.coerce.number().int().min(0).default(1000),
    /** Recovery starts and resends per client IP per account per hour (the portal's addition)... */
    LIMIT_RECOVERY_PER_IP_PER_ACCOUNT_PER_HOUR: z.coerce.number().int().positive().default(3),
    /** ...and per account from all addresses together (see recoveryStartLimit). */
    LIMIT_RECOVERY_PER_ACCOUNT_PER_HOUR: z.coerce.number().int().positive().default(20),
    /**
     * Which proxies may set X-Forwarded-For: unset (the default) trusts none, so a client cannot
     * choose the address its rate limits and audit records use; a number trusts that many hops;
     * otherwise a comma-separated list of proxy addresses or CIDR ranges.
     */
    TRUST_PROXY: z
      .string()
      .regex(
        /^(\d{1,2}|[0-9a-fA-F.:/]+(\s*,\s*[0-9a-fA-F.:/]+)*)$/,
        'must be a hop count or proxy addresses/CIDRs',
      )
      .optional()
      .transform((v) => (v === undefined ? false : /^\d+$/.test(v) ? Number(v) : v)),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    /** argon2id cost; lowered only by tests. Production refuses less than OWASP's minimum. */
    ARGON2_MEMORY_KIB: z.coerce.number().int().min(1024).default(19_456),
    ARGON2_TIME_COST: z.coerce.number().int().min(1).default(2),
    /**
     * Nice value given to libuv's pool threads (argon2's) so that the event loop, which answers every
     * request, runs first when both want a core (Linux only; 0 leaves them alone).
     */
    THREADPOOL_NICE: z.coerce.number().int().min(0).max(19).default(10),
    /** PKCS#8 PEM of the Ed25519 key that signs audit checkpoints, outside DATA_DIR (src/infra/audit-signing-key.ts). */
    AUDIT_SIGNING_KEY_FILE: z.string().min(1).optional(),
    /** `keyId=base64-SPKI` pairs, comma-separated: the public keys checkpoints are verified with. */
    AUDIT_VERIFY_KEYS: z
      .string()
      .regex(
        /^\s*[A-Za-z0-9_.-]+=[A-Za-z0-9+/=]+\s*(,\s*[A-Za-z0-9_.-]+=[A-Za-z0-9+/=]+\s*)*$/,
        'must be keyId=base64-SPKI pairs, comma-separated',
      )
      .optional(),
    /** Where the latest signed checkpoint is kept, outside DATA_DIR. */
    AUDIT_WITNESS_DIR: z.string().min(1).optional(),
    /** The longest time between an event and the signed checkpoint that covers it, while events arrive. */
    AUDIT_CHECKPOINT_EVERY_MS: z.coerce.number().int().min(100).max(3_600_000).default(10_000),
    ...instanceEnv,
  })
  .superRefine((env, ctx) => {
    if (env.NODE_ENV !== 'production') return;
    if (env.DEV_TOOLS)
      ctx.addIssue({ code: 'custom', path: ['DEV_TOOLS'], message: 'must be off in production' });
    if (env.TEST_FAULTS)
      ctx.addIssue({ code: 'custom', path: ['TEST_FAULTS'], message: 'must be off in production' });
    if (!env.PORTAL_SECRET)
      ctx.addIssue({ code: 'custom', path: ['PORTAL_SECRET'], message: 'is required in production' });
    if (!env.REGISTRY_URL)
      ctx.addIssue({
        code: 'custom',
        path: ['REGISTRY_URL'],
        message: 'is required in production (the sandbox registries are for development)',
      });
    // The key and the witness guard the log against whoever holds DATA_DIR: they must live elsewhere.
    for (const variable of ['AUDIT_SIGNING_KEY_FILE', 'AUDIT_WITNESS_DIR'] as const) {
      const value = env[variable];
      if (!value) ctx.addIssue({ code: 'custom', path: [variable], message: 'is required in production' });
      else if (isInside(value, env.DATA_DIR))
        ctx.addIssue({ code: 'custom', path: [variable], message: 'must be outside DATA_DIR' });
    }
    // Without real senders every code, temporary password and tracking code would go to the dev
    // outbox (kept in memory and in a file, in clear) while the delivery events said delivered.
    const senders: Array<[keyof typeof env, unknown]> = [
      ['SMTP_URL', env.SMTP_URL],
      ['TWILIO_ACCOUNT_SID', env.TWILIO_ACCOUNT_SID],
      ['TWILIO_AUTH_TOKEN', env.TWILIO_AUTH_TOKEN],
      ['TWILIO_FROM', env.TWILIO_FROM],
    ];
    for (const [variable, value] of senders)
      if (!value)
        ctx.addIssue({
          code: 'custom',
          path: [variable],
          message: 'is required in production (the dev outbox is for development only)',
        });
    if (env.ARGON2_MEMORY_KIB < 19_456 || env.ARGON2_TIME_COST < 2)
      ctx.addIssue({
        code: 'custom',
        path: ['ARGON2_MEMORY_KIB'],
        message: 'is below OWASP minimum (19 MiB, t=2)',
      });
  });

export type Config = z.output<typeof EnvSchema>;

export class ConfigError extends Error {
  constructor(
    readonly variable: string,
    detail: string,
  ) {
    super(`Invalid configuration: ${variable} ${detail}`);
    this.name = 'ConfigError';
  }
}

/** Parses the environment; a bad value throws one ConfigError naming the variable. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = EnvSchema.safeParse(cleaned);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  const variable = String(issue.path[0] ?? 'environment');
  throw new ConfigError(variable, `${issue.message} (got ${JSON.stringify(cleaned[variable] ?? null)})`);
}
