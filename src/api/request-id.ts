import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { LogController } from 'fastify';

/**
 * What a caller may choose as its request id: a short plain token. The id goes into every log line and,
 * as the correlation id, into the metadata (and hash chain) of every event the request causes.
 */
export const REQUEST_ID = /^[A-Za-z0-9._-]{1,64}$/;

const offered = (value: string | string[] | undefined) =>
  typeof value === 'string' && REQUEST_ID.test(value) ? value : undefined;

/**
 * The request's id: the caller's `x-request-id` when well formed, else its `x-correlation-id` (the older
 * header, accepted under the same rule when no `x-request-id` is sent), else a new UUID. An ill-formed
 * `x-request-id` is replaced, not passed over for the other header: the caller meant this one.
 */
export function requestIdOf(request: Pick<IncomingMessage, 'headers'>): string {
  const { headers } = request;
  if (headers['x-request-id'] !== undefined) return offered(headers['x-request-id']) ?? randomUUID();
  return offered(headers['x-correlation-id']) ?? randomUUID();
}

/**
 * fastify's options for it: its own request ids (and its default request log, replaced by the one line
 * per request of request-log.ts) give way to ours; pino's child logger of each request carries the id
 * as `requestId` on every line.
 */
export const requestIdOptions = {
  genReqId: requestIdOf,
  requestIdHeader: false as const,
  logController: new LogController({ disableRequestLogging: true, requestIdLogLabel: 'requestId' }),
};
