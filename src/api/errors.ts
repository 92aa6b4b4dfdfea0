import { UseCaseError } from '../app/errors.js';
import { DependencyUnavailableError } from '../infra/unavailable.js';

/**
 * The API's error catalogue: every code a client can see, its HTTP status, and what it means. GraphQL
 * errors carry the code in `extensions.code`; HTTP endpoints answer `{ error, message }`. Expected
 * outcomes of a flow (a wrong code, a locked account) are result-union members, not errors.
 */
export const ERROR_CODES = {
  BAD_REQUEST: { status: 400, meaning: 'the request is malformed' },
  BAD_USER_INPUT: { status: 400, meaning: 'an argument is invalid (GraphQL)' },
  UNAUTHENTICATED: { status: 401, meaning: 'sign in first' },
  FORBIDDEN: { status: 403, meaning: 'the role may not do this' },
  NOT_FOUND: { status: 404, meaning: 'no such thing, or the caller may not see it' },
  TOO_LARGE: { status: 413, meaning: 'the upload is over 5 MiB' },
  NOT_PDF: { status: 415, meaning: 'the upload is not a PDF' },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, meaning: 'the body is of a media type this route does not take' },
  RATE_LIMITED: { status: 429, meaning: 'too many requests; retry after the given seconds' },
  UNAVAILABLE: { status: 503, meaning: 'a dependency does not answer; try again' },
  INTERNAL: { status: 500, meaning: 'an unexpected failure' },
} as const;

export type ErrorCode = keyof typeof ERROR_CODES;

export class ApiError extends Error {
  readonly status: number;
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly extra: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'ApiError';
    this.status = ERROR_CODES[code].status;
  }
}

/** A use case's error in the api's catalogue: same code, same words, the status of that code. */
export const fromUseCase = (error: UseCaseError) => new ApiError(error.code, error.message, error.details);

/** What any layer threw, as the api's error when it is one the catalogues know; else undefined. */
export function asApiError(error: unknown): ApiError | undefined {
  if (error instanceof ApiError) return error;
  if (error instanceof UseCaseError) return fromUseCase(error);
  // An outage of the disk or of Redis: the adapter's own sentence, never the driver's words.
  if (error instanceof DependencyUnavailableError) return new ApiError('UNAVAILABLE', error.message);
  return undefined;
}

export const unauthenticated = (message = 'Sign in first.') => new ApiError('UNAUTHENTICATED', message);
export const forbidden = (message = 'Your role may not do this.') => new ApiError('FORBIDDEN', message);
export const notFound = (message = 'Not found.') => new ApiError('NOT_FOUND', message);
export const badInput = (message: string, field?: string) =>
  new ApiError('BAD_USER_INPUT', message, field ? { field } : {});
export const rateLimited = (retryAfterSeconds: number) =>
  new ApiError('RATE_LIMITED', `Too many requests; try again in ${retryAfterSeconds} s.`, {
    retryAfterSeconds,
  });

/** An outage is not the client's fault nor a bug: one warning naming the dependency, for operators. */
export function logOutage(error: unknown, log: { warn: (obj: object, msg: string) => void }): void {
  if (error instanceof DependencyUnavailableError)
    log.warn({ dependency: error.dependency, err: error.cause }, 'a dependency is unavailable');
}
