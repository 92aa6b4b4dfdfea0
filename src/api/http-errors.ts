import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { type ApiError, asApiError, ERROR_CODES, type ErrorCode, logOutage } from './errors.js';
import { discardUnreadBody } from './oversized-body.js';

/** The contract's shape for HTTP endpoints: `{"error": "<CODE>", "message": "..."}`. */
export function sendHttpError(error: ApiError, reply: FastifyReply) {
  if (error.code === 'RATE_LIMITED' || error.code === 'UNAVAILABLE')
    reply.header('retry-after', String(error.extra.retryAfterSeconds ?? 60));
  return reply.status(error.status).send({ error: error.code, message: error.message });
}

/** The catalogue's code for a status fastify or a plugin chose (a body it could not parse, ...). */
function codeOfStatus(status: number): ErrorCode {
  if (status === 404) return 'NOT_FOUND';
  if (status === 413) return 'TOO_LARGE';
  if (status === 415) return 'UNSUPPORTED_MEDIA_TYPE';
  if (status === 429) return 'RATE_LIMITED';
  return 'BAD_REQUEST';
}

/**
 * The error handler of every HTTP route but /graphql (which keeps the GraphQL shape). A client's
 * mistake is logged at info, without a stack; only our own failures are INTERNAL, logged as errors
 * with the request's id (the request's logger carries it).
 */
export function handleHttpError(error: FastifyError, request: FastifyRequest, reply: FastifyReply) {
  const known = asApiError(error);
  logOutage(error, request.log);
  if (known) return sendHttpError(known, reply);
  const status = error.statusCode ?? 500;
  if (status >= 500) {
    request.log.error({ err: error }, 'unexpected error');
    return reply.status(500).send({ error: 'INTERNAL', message: 'Something went wrong on our side.' });
  }
  discardUnreadBody(request);
  const code = codeOfStatus(status);
  request.log.info({ status, code: error.code }, 'request refused');
  const message =
    error instanceof SyntaxError || error.code === 'FST_ERR_CTP_INVALID_JSON_BODY'
      ? 'The body is not valid JSON.'
      : error.message;
  return reply.status(ERROR_CODES[code].status).send({ error: code, message });
}
