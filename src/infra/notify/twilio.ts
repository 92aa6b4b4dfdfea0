import twilio from 'twilio';
import type RequestClient from 'twilio/lib/base/RequestClient.js';
import { DeliveryError, type DeliveryReceipt, type Message, type Sender } from './port.js';

export interface TwilioOptions {
  accountSid: string;
  authToken: string;
  from: string;
  /** Where the Messages API lives; only tests point it at a loopback server. */
  apiUrl?: string;
  timeoutMs?: number;
}

/**
 * The twilio package's HTTP client with the API's base URL swapped: the package has no base-URL
 * option, but it accepts any RequestClient, and every request passes through `request`.
 */
class RebasedRequestClient extends twilio.RequestClient {
  constructor(
    private readonly base: URL,
    timeoutMs: number,
  ) {
    super({ timeout: timeoutMs, keepAlive: true });
  }

  override request<T>(opts: RequestClient.RequestOptions<T>) {
    const target = new URL(opts.uri);
    target.protocol = this.base.protocol;
    target.host = this.base.host;
    return super.request<T>({ ...opts, uri: target.href });
  }
}

/** Twilio error codes that retrying cannot fix (invalid, unreachable or blocked numbers). */
const PERMANENT_CODES = new Set([21211, 21214, 21408, 21610, 21612, 21614, 30003, 30004, 30005, 30006]);

/** SMS through Twilio's Messages API, over kept-alive connections (a TLS handshake per code otherwise). */
export class TwilioSender implements Sender {
  private readonly client: ReturnType<typeof twilio>;

  constructor(private readonly options: TwilioOptions) {
    const timeoutMs = options.timeoutMs ?? 10_000;
    this.client = twilio(options.accountSid, options.authToken, {
      httpClient: options.apiUrl
        ? new RebasedRequestClient(new URL(options.apiUrl), timeoutMs)
        : new twilio.RequestClient({ timeout: timeoutMs, keepAlive: true }),
      autoRetry: false,
    });
  }

  async send(message: Message): Promise<DeliveryReceipt> {
    try {
      const sent = await this.client.messages.create({
        to: message.to,
        from: this.options.from,
        body: message.body,
      });
      return { providerId: sent.sid };
    } catch (error) {
      const { status, code } = error as { status?: number; code?: number };
      const reason = `twilio: ${status ?? 'no answer'}${code ? ` code ${code}` : ''}`;
      // 429 and 5xx are the provider's trouble and pass; a 4xx about the number or the request does not.
      const retryable =
        !(code !== undefined && PERMANENT_CODES.has(code)) &&
        (status === undefined || status === 429 || status >= 500);
      throw new DeliveryError(reason, retryable);
    }
  }
}
