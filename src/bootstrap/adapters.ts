import { DeliveryRecorder } from '../app/account/delivery-recorder.js';
import type { CommandHandler } from '../app/command-handler.js';
import { accountModel } from '../domain/account/decide.js';
import type { AccountEvent } from '../domain/account/events.js';
import { SESSION_IDLE_MS } from '../domain/account/rules.js';
import type { Channel } from '../domain/account/terms.js';
import { systemActor } from '../domain/shared/events.js';
import type { Clock } from '../infra/clock.js';
import type { Config } from '../infra/config.js';
import type { DevOutbox } from '../infra/notify/dev-outbox.js';
import { Notifier } from '../infra/notify/notifier.js';
import type { Sender } from '../infra/notify/port.js';
import { SmtpSender } from '../infra/notify/smtp.js';
import { TwilioSender } from '../infra/notify/twilio.js';
import { Argon2PasswordHasher, type PasswordHasher } from '../infra/password/argon2.js';
import { MemoryRateLimiter } from '../infra/rate-limit/memory.js';
import type { RateLimiter } from '../infra/rate-limit/port.js';
import { RedisRateLimiter } from '../infra/rate-limit/redis.js';
import { leaseRedis } from '../infra/redis.js';
import { HttpRegistries } from '../infra/registry/http.js';
import type { Registries } from '../infra/registry/port.js';
import { SandboxRegistries } from '../infra/registry/sandbox.js';
import { MemorySessionStore } from '../infra/sessions/memory.js';
import type { SessionStore } from '../infra/sessions/port.js';
import { RedisSessionStore } from '../infra/sessions/redis.js';

export interface Adapters {
  passwords: PasswordHasher;
  sessions: SessionStore;
  notifier: Notifier;
  rateLimits: RateLimiter;
  registries: Registries;
  sandboxRegistries: SandboxRegistries | null;
  close(): Promise<void>;
}

export interface AdapterOptions {
  clock: Clock;
  outbox: DevOutbox | null;
  log: { warn(obj: object, msg?: string): void; error(obj: object, msg?: string): void };
  /** The command handler, read when a delivery outcome is recorded (it is built after this). */
  commands: () => CommandHandler;
  passwords?: PasswordHasher;
  /** How long delivery outcomes wait to be appended together (DeliveryRecorder). */
  deliveryBatchMs?: number;
  /** Wraps each channel's sender (the operations metrics time the providers); none by default. */
  measureSender?: (channel: Channel, sender: Sender) => Sender;
}

const DELIVERY_BATCH_MS = 25;

/**
 * The adapters, each chosen by configuration: Redis (REDIS_URL) or in process for
 * sessions and limits, SMTP and Twilio or the dev outbox for messages, the HTTP registries
 * (REGISTRY_URL) or the sandbox.
 */
export function openAdapters(config: Config, options: AdapterOptions): Adapters {
  // The process's shared connection (src/infra/redis.ts), held until close.
  const lease = config.REDIS_URL ? leaseRedis(config.REDIS_URL) : null;
  const redis = lease?.redis ?? null;
  const prefix = config.REDIS_KEY_PREFIX;
  const sessionTimes = { idleMs: SESSION_IDLE_MS };
  const sandbox = config.REGISTRY_URL ? null : new SandboxRegistries();
  const outbox = (): Sender => {
    if (!options.outbox)
      throw new Error('no sender configured and no dev outbox (production needs both senders)');
    return options.outbox;
  };
  const email: Sender = config.SMTP_URL
    ? new SmtpSender(config.SMTP_URL, config.SMTP_FROM, config.DELIVERY_TIMEOUT_MS)
    : outbox();
  const sms: Sender =
    config.TWILIO_ACCOUNT_SID && config.TWILIO_AUTH_TOKEN && config.TWILIO_FROM
      ? new TwilioSender({
          accountSid: config.TWILIO_ACCOUNT_SID,
          authToken: config.TWILIO_AUTH_TOKEN,
          from: config.TWILIO_FROM,
          timeoutMs: config.DELIVERY_TIMEOUT_MS,
          ...(config.TWILIO_API_URL ? { apiUrl: config.TWILIO_API_URL } : {}),
        })
      : outbox();
  // Once closing, outcomes are written at once: shutting down must not wait out a deferral.
  let closing = false;
  // Outcomes of one stream in a batch carry the first delivery's correlation id (the request that caused it).
  const recorder = new DeliveryRecorder(async (stream, delivery, events) => {
    await options.commands().execute(
      stream,
      accountModel,
      () => ({ events: events as AccountEvent[], result: null }),
      { actor: systemActor('notifier'), correlationId: delivery.correlationId },
      // Nobody waits for an outcome: it may share the next sign-in's fsync instead of causing one.
      { deferrable: !closing },
    );
  }, options.deliveryBatchMs ?? DELIVERY_BATCH_MS);
  const measure = options.measureSender ?? ((_channel: Channel, sender: Sender) => sender);
  const notifier = new Notifier({
    senders: { SMS: measure('SMS', sms), EMAIL: measure('EMAIL', email) },
    clock: options.clock,
    log: options.log,
    backoffMs: config.DELIVERY_RETRY_DELAYS_MS,
    record: (delivery, events) => recorder.record(delivery, events),
  });
  return {
    passwords:
      options.passwords ??
      new Argon2PasswordHasher({ memoryKib: config.ARGON2_MEMORY_KIB, timeCost: config.ARGON2_TIME_COST }),
    sessions: redis
      ? new RedisSessionStore(redis, sessionTimes, prefix)
      : new MemorySessionStore(sessionTimes),
    notifier,
    rateLimits: redis ? new RedisRateLimiter(redis, prefix) : new MemoryRateLimiter(),
    registries: sandbox ?? new HttpRegistries(config.REGISTRY_URL!),
    sandboxRegistries: sandbox,
    async close() {
      // Pending retries are dropped (the person can resend); deliveries under way finish first.
      closing = true;
      notifier.close();
      recorder.flush();
      options.commands().store.commitDeferred?.();
      await notifier.idle().catch(() => {});
      if (email instanceof SmtpSender) email.close();
      await lease?.release();
    },
  };
}
