import nodemailer, { type Transporter } from 'nodemailer';
import { DeliveryError, type DeliveryReceipt, type Message, type Sender } from './port.js';

/** E-mail through SMTP (SMTP_URL). */
export class SmtpSender implements Sender {
  private readonly transport: Transporter;

  constructor(
    url: string,
    private readonly from: string,
    timeoutMs = 10_000,
  ) {
    // nodemailer waits 2 minutes for a connection and 30 s for a greeting by default: a stalled server
    // would hold each pending code that long before its retry.
    // Pooled: a code goes out on every sign-in, and a new connection per message costs a TCP (and
    // in production TLS) handshake and the SMTP greeting each time; the pool keeps a few open.
    this.transport = nodemailer.createTransport({
      url,
      pool: true,
      maxConnections: 4,
      connectionTimeout: timeoutMs,
      greetingTimeout: timeoutMs,
      socketTimeout: timeoutMs,
    });
  }

  async send(message: Message): Promise<DeliveryReceipt> {
    try {
      const info = await this.transport.sendMail({
        from: this.from,
        to: message.to,
        subject: message.subject,
        text: message.body,
      });
      return { providerId: String(info.messageId) };
    } catch (error) {
      const { responseCode } = error as { responseCode?: number };
      // 5xx: the server refused this message for good (no such mailbox); anything else may pass later.
      const retryable = !(responseCode !== undefined && responseCode >= 500 && responseCode < 600);
      throw new DeliveryError(`smtp: ${responseCode ?? (error as Error).message}`, retryable);
    }
  }

  close(): void {
    this.transport.close();
  }
}
