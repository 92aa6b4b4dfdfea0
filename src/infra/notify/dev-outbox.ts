import { randomUUID } from 'node:crypto';
import { appendFileSync, chmodSync, closeSync, existsSync, mkdirSync, openSync, readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Clock } from '../clock.js';
import { type Channel, type DeliveryReceipt, type Message, maskSecrets, type Sender } from './port.js';

export interface OutboxEntry {
  channel: Channel;
  to: string;
  subject: string;
  body: string;
  sentAt: string;
}

/** Messages kept in memory (newest); older ones stay only in the file, which development may delete. */
export const OUTBOX_KEPT = 10_000;

interface Logger {
  info(obj: object, msg: string): void;
}

/**
 * Development stand-in for the phone and the mailbox: messages are kept (in memory and in a JSON
 * Lines file under DATA_DIR, so a restart keeps them) for GET /dev/outbox, and logged with their
 * secrets masked so the log never holds a code. Never built in production (config requires real
 * senders there); the newest OUTBOX_KEPT messages in memory, and the file readable by its owner
 * alone, since it holds codes in clear.
 */
export class DevOutbox implements Sender {
  private readonly entries: OutboxEntry[] = [];
  /** The same entries by recipient (lower case): reading one person's code must not scan everyone's. */
  private readonly byRecipient = new Map<string, OutboxEntry[]>();
  /** The file, opened once for appending: opening it per message cost three system calls a message. */
  private fd: number | undefined;
  private closed = false;

  constructor(
    private readonly clock: Clock,
    private readonly file?: string,
    private readonly log?: Logger,
  ) {
    if (file && existsSync(file)) {
      chmodSync(file, 0o600); // written 0644 by earlier versions
      for (const line of readFileSync(file, 'utf8').split('\n')) if (line) this.keep(JSON.parse(line));
    }
    if (file) mkdirSync(dirname(file), { recursive: true });
  }

  async send(message: Message): Promise<DeliveryReceipt> {
    const entry: OutboxEntry = {
      channel: message.channel,
      to: message.to,
      subject: message.subject,
      body: message.body,
      sentAt: this.clock.now().toISOString(),
    };
    this.keep(entry);
    if (this.file) {
      // After close() (a late retry at shutdown) the file is opened per message, so no handle leaks.
      if (!this.closed) this.fd ??= openSync(this.file, 'a', 0o600);
      // appendFileSync writes all of it, even when the system writes it in parts.
      appendFileSync(this.fd ?? this.file, `${JSON.stringify(entry)}\n`, { mode: 0o600 });
    }
    this.log?.info(
      {
        channel: entry.channel,
        to: entry.to,
        subject: entry.subject,
        body: maskSecrets(entry.body, message.secrets),
      },
      'dev outbox message',
    );
    return { providerId: `outbox-${randomUUID()}` };
  }

  /** Closes the file; a later message is still written, opening and closing the file itself. */
  close(): void {
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
    this.closed = true;
  }

  /** Newest first; only the messages to one address when `to` is given (case-insensitive for e-mail). */
  list(to?: string): OutboxEntry[] {
    const wanted = to?.trim().toLowerCase();
    return [...(wanted ? (this.byRecipient.get(wanted) ?? []) : this.entries)].reverse();
  }

  private keep(entry: OutboxEntry) {
    this.entries.push(entry);
    if (this.entries.length > OUTBOX_KEPT) this.forget(this.entries.shift()!);
    const key = entry.to.toLowerCase();
    const mine = this.byRecipient.get(key);
    if (mine) mine.push(entry);
    else this.byRecipient.set(key, [entry]);
  }

  private forget(oldest: OutboxEntry) {
    const key = oldest.to.toLowerCase();
    const mine = this.byRecipient.get(key);
    if (mine?.[0] === oldest) mine.shift();
    if (mine?.length === 0) this.byRecipient.delete(key);
  }
}
