import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedSms {
  to: string;
  body: string;
  /** The HTTP status this request was answered with. */
  status: number;
}

export interface LoopbackTwilio {
  url: string;
  /** Every request to the Messages API, answered or refused, in order. */
  received: ReceivedSms[];
  /**
   * What the next requests get: `first` in order, one each, then `then` for good (201, accepted, by
   * default; 500 or 503 while "down"). Scripted, not switched by the test while it waits, so a slow
   * machine cannot let a retry slip past a switch.
   */
  answerWith(then: number, first?: number[]): void;
  close(): Promise<void>;
}

async function formOf(request: IncomingMessage): Promise<URLSearchParams> {
  let text = '';
  for await (const chunk of request) text += (chunk as Buffer).toString('utf8');
  return new URLSearchParams(text);
}

/**
 * An HTTP server answering as Twilio's Messages API (through TWILIO_API_URL): a message SID on 201,
 * Twilio's error body otherwise. A test switches what it answers to make the provider fail and recover.
 */
export async function startLoopbackTwilio(): Promise<LoopbackTwilio> {
  const received: ReceivedSms[] = [];
  let script: number[] = [];
  let status = 201;
  const server = createServer(async (request, response) => {
    const form = await formOf(request);
    const answered = script.shift() ?? status;
    received.push({ to: form.get('To') ?? '', body: form.get('Body') ?? '', status: answered });
    response.statusCode = answered;
    response.setHeader('content-type', 'application/json');
    response.end(
      JSON.stringify(
        answered < 300
          ? { sid: `SM${randomBytes(16).toString('hex')}`, status: 'queued', to: form.get('To') }
          : { code: 20500, message: 'Internal Server Error', status: answered },
      ),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    received,
    answerWith(then, first = []) {
      status = then;
      script = [...first];
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
