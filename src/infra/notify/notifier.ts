import type { Channel, OtpDelivered, OtpDeliveryFailed } from '../../domain/account/events.js';
import type { Clock } from '../clock.js';
import { DeliveryError, type Message, type Sender } from './port.js';

export type DeliveryEvent = OtpDelivered | OtpDeliveryFailed;

export interface CodeDelivery {
  /** The stream the code belongs to, where delivery outcomes are recorded. */
  stream: string;
  accountId: string;
  challengeId: string;
  /** One message per channel, the same code in each. */
  messages: Message[];
  /** The request that caused it, carried into the outcome events' metadata. */
  correlationId: string;
}

export interface NotifierOptions {
  senders: Record<Channel, Sender>;
  clock: Clock;
  /** Appends delivery outcomes to the code's stream (through the command handler). */
  record(delivery: CodeDelivery, events: DeliveryEvent[]): Promise<void>;
  log: { warn(obj: object, msg?: string): void; error(obj: object, msg?: string): void };
  /** Pauses before each retry of a failed delivery; its length is the number of retries. */
  backoffMs?: number[];
}

const DEFAULT_BACKOFF_MS = [2_000, 10_000, 60_000];

/**
 * Sends a code to every channel at once and records each outcome as an event. A failure the provider
 * calls temporary is tried again with growing pauses; the code itself lives only in memory here (never
 * in an event), so a restart drops pending retries and the person uses resendCode.
 */
export class Notifier {
  private readonly inFlight = new Set<Promise<void>>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly backoffMs: number[];

  constructor(private readonly options: NotifierOptions) {
    this.backoffMs = options.backoffMs ?? DEFAULT_BACKOFF_MS;
  }

  /** The configured sender of each channel (SMTP, Twilio or the dev outbox), for other features' messages. */
  get senders(): Readonly<Record<Channel, Sender>> {
    return this.options.senders;
  }

  /** Starts delivery and returns at once: the answer to the person does not wait for providers. */
  send(delivery: CodeDelivery): void {
    this.track(this.attempt(delivery, delivery.messages, 1));
  }

  /** Resolves once every delivery started so far, retries included, has an outcome (tests, shutdown). */
  async idle(): Promise<void> {
    while (this.inFlight.size > 0 || this.timers.size > 0) {
      await Promise.allSettled([...this.inFlight]);
      if (this.inFlight.size === 0 && this.timers.size > 0) await new Promise((r) => setTimeout(r, 5));
    }
  }

  close(): void {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
  }

  private track(work: Promise<void>) {
    this.inFlight.add(work);
    void work.finally(() => this.inFlight.delete(work));
  }

  private async attempt(delivery: CodeDelivery, messages: Message[], attempt: number): Promise<void> {
    type Outcome =
      | { message: Message; providerId: string }
      | { message: Message; failure: { retryable: boolean; reason: string } };
    const outcomes = await Promise.all(
      messages.map(async (message): Promise<Outcome> => {
        try {
          const receipt = await this.options.senders[message.channel].send(message);
          return { message, providerId: receipt.providerId };
        } catch (error) {
          const retryable = error instanceof DeliveryError ? error.retryable : true;
          const reason = error instanceof Error ? error.message : String(error);
          return { message, failure: { retryable, reason } };
        }
      }),
    );
    const at = this.options.clock.now().toISOString();
    const { accountId, challengeId } = delivery;
    const events: DeliveryEvent[] = outcomes.map(
      (o): DeliveryEvent =>
        'providerId' in o
          ? {
              type: 'OtpDelivered',
              data: {
                accountId,
                challengeId,
                channel: o.message.channel,
                providerId: o.providerId,
                attempt,
                deliveredAt: at,
              },
            }
          : {
              type: 'OtpDeliveryFailed',
              data: {
                accountId,
                challengeId,
                channel: o.message.channel,
                attempt,
                retryable: o.failure.retryable && attempt <= this.backoffMs.length,
                error: o.failure.reason,
                failedAt: at,
              },
            },
    );
    try {
      await this.options.record(delivery, events);
    } catch (error) {
      this.options.log.error({ err: error, challengeId }, 'could not record delivery outcomes');
    }
    const retry = outcomes.flatMap((o) => ('failure' in o && o.failure.retryable ? [o.message] : []));
    const pause = this.backoffMs[attempt - 1];
    if (retry.length === 0) return;
    if (pause === undefined) {
      this.options.log.warn({ challengeId, channels: retry.map((m) => m.channel) }, 'delivery given up');
      return;
    }
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      this.track(this.attempt(delivery, retry, attempt + 1));
    }, pause);
    timer.unref();
    this.timers.add(timer);
  }
}
