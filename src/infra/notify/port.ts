export type Channel = 'SMS' | 'EMAIL';

export interface Message {
  channel: Channel;
  /** E.164 phone for SMS, e-mail address for EMAIL. */
  to: string;
  subject: string;
  body: string;
  /** Secrets inside the body (codes, temporary passwords): masked wherever the message is logged. */
  secrets?: string[];
}

export interface DeliveryReceipt {
  /** The provider's id for the message (SMTP message id, Twilio SID, outbox entry id). */
  providerId: string;
}

/** One channel's sender. Throws a DeliveryError when the provider refused or could not be reached. */
export interface Sender {
  send(message: Message): Promise<DeliveryReceipt>;
}

export class DeliveryError extends Error {
  constructor(
    message: string,
    /** false when retrying cannot help (an invalid number, a refused address). */
    readonly retryable: boolean,
  ) {
    super(message);
    this.name = 'DeliveryError';
  }
}

/** Replaces every secret in a text with asterisks of the same length: what the log may hold. */
export function maskSecrets(text: string, secrets: string[] = []): string {
  let masked = text;
  for (const secret of secrets) if (secret) masked = masked.split(secret).join('*'.repeat(secret.length));
  return masked;
}
