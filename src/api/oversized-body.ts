import type { FastifyRequest } from 'fastify';

/**
 * How much of a refused body the server reads and throws away so that the client, still sending,
 * reads the 413 instead of a reset connection. Past this the connection is cut: a client sending
 * more than this after a refusal is not an ordinary one.
 */
export const MAX_DISCARDED_BYTES = 64 * 1024 * 1024;

/**
 * Called when a request is refused before its body was read (too large, wrong media type): the
 * rest of the body is read and discarded, up to MAX_DISCARDED_BYTES, while the answer goes out.
 * Closing at once instead would reset the connection under the client, and an ordinary client
 * (fetch, curl) then reports EPIPE or ECONNRESET, never the answer.
 */
export function discardUnreadBody(request: FastifyRequest): void {
  const raw = request.raw;
  if (raw.complete || raw.destroyed) return;
  let discarded = 0;
  raw.on('data', (chunk: Buffer) => {
    discarded += chunk.length;
    if (discarded > MAX_DISCARDED_BYTES) raw.socket?.destroy();
  });
  raw.on('error', () => {});
  raw.resume();
}
