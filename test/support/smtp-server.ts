import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

export interface ReceivedMail {
  to: string[];
  raw: string;
}

export interface LoopbackSmtp {
  port: number;
  url: string;
  received: ReceivedMail[];
  /** Messages are accepted only once the promise this returns resolves: a slow mail server. */
  holdWith(gate: () => Promise<void>): void;
  close(): Promise<void>;
}

/**
 * A real SMTP server on loopback for delivery tests: records what it accepts, refuses every
 * `nobody@…` mailbox with 550 (a failure retrying cannot fix), and can hold messages back.
 */
export async function startLoopbackSmtp(): Promise<LoopbackSmtp> {
  const received: ReceivedMail[] = [];
  let gate: () => Promise<void> = () => Promise.resolve();
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    onRcptTo(address, _session, callback) {
      if (address.address.startsWith('nobody@'))
        return callback(Object.assign(new Error('no such mailbox'), { responseCode: 550 }));
      callback();
    },
    onData(stream, session, callback) {
      let raw = '';
      stream.on('data', (chunk: Buffer) => {
        raw += chunk.toString('utf8');
      });
      stream.on('end', () => {
        void gate().then(() => {
          received.push({ to: session.envelope.rcptTo.map((r) => r.address), raw });
          callback();
        });
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.server.address() as AddressInfo).port;
  return {
    port,
    url: `smtp://127.0.0.1:${port}`,
    received,
    holdWith(next) {
      gate = next;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
