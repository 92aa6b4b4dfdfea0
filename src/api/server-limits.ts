/**
 * The HTTP server's own limits against slow and oversized requests (fastify's server options):
 * headers must arrive within 10 s and fit in 16 KiB (a bearer token and the session cookie need
 * well under 1 KiB); a whole request within 120 s, which leaves an upload of 5 MiB at 1 Mbit/s
 * (about 42 s) more than twice its time; a connection silent for 60 s is closed, an idle
 * keep-alive one after 10 s. Websockets are not affected: `ws` takes the socket over at upgrade.
 */
export const SERVER_LIMITS = {
  requestTimeout: 120_000,
  connectionTimeout: 60_000,
  keepAliveTimeout: 10_000,
  http: { headersTimeout: 10_000, maxHeaderSize: 16 * 1024 },
} as const;
