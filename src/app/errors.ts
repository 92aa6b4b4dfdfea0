/**
 * The use cases' error catalogue: what a use case throws when it cannot answer with an outcome (a
 * dependency is down, a budget is spent where the schema has no union member for it). The api maps
 * each code to its own catalogue (src/api/errors.ts: HTTP status and `extensions.code`) in one place.
 */
export const USE_CASE_ERRORS = {
  BAD_USER_INPUT: 'an input the use case cannot take (details.field names it)',
  RATE_LIMITED: 'too many requests; retry after the given seconds',
  UNAVAILABLE: 'a dependency does not answer; try again',
} as const;

export type UseCaseErrorCode = keyof typeof USE_CASE_ERRORS;

export class UseCaseError extends Error {
  constructor(
    readonly code: UseCaseErrorCode,
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'UseCaseError';
  }
}

export const tooManyRequests = (retryAfterSeconds: number) =>
  new UseCaseError('RATE_LIMITED', `Too many requests; try again in ${retryAfterSeconds} s.`, {
    retryAfterSeconds,
  });

export const unavailable = (message: string) => new UseCaseError('UNAVAILABLE', message);
