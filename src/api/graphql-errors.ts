import type { FastifyBaseLogger } from 'fastify';
import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import { ZodError } from 'zod';
import { asApiError, logOutage } from './errors.js';

/**
 * graphql-js names the fields and types it guessed the client meant ("Did you mean "nid"?"): in
 * production that hands the schema to anyone who sends a typo, with introspection off. graphql@16
 * has no switch for it, so the sentence is cut from every message.
 */
export function withoutSuggestions(message: string): string {
  return message.replace(/\s*Did you mean [^?]*\?/g, '').trim();
}

/**
 * Maps any error of a GraphQL answer to the catalogue's codes. A document the server could not
 * parse or validate, or variables it could not coerce, are the client's mistake (BAD_USER_INPUT);
 * a failure of ours loses its message (it may leak) and is logged once with the request's id
 * (the request's logger carries it).
 */
export function toGraphqlError(error: GraphQLError, log: FastifyBaseLogger): GraphQLError {
  const original = error.originalError;
  const options = { nodes: error.nodes, source: error.source, positions: error.positions, path: error.path };
  const known = asApiError(original);
  logOutage(original, log);
  if (known) {
    return new GraphQLError(known.message, {
      ...options,
      extensions: { code: known.code, ...known.extra },
    });
  }
  if (original instanceof ZodError) {
    const issue = original.issues[0];
    return new GraphQLError(
      issue ? `${issue.path.join('.') || 'input'}: ${issue.message}` : 'Invalid input.',
      {
        ...options,
        extensions: { code: 'BAD_USER_INPUT', field: issue?.path.join('.') },
      },
    );
  }
  if (!original || original instanceof GraphQLError) {
    // Parse, validation and variable errors: the client's query is at fault.
    return new GraphQLError(error.message, { ...options, extensions: { code: 'BAD_USER_INPUT' } });
  }
  log.error({ err: original }, 'unexpected error in a resolver');
  return new GraphQLError('Something went wrong on our side.', {
    ...options,
    extensions: { code: 'INTERNAL' },
  });
}

/** Every error of one answer, formatted; in production without field suggestions. */
export function formatErrors(
  errors: readonly GraphQLError[],
  log: FastifyBaseLogger,
  production: boolean,
): GraphQLFormattedError[] {
  return errors.map((error) => {
    const formatted = toGraphqlError(error, log).toJSON();
    return production ? { ...formatted, message: withoutSuggestions(formatted.message) } : formatted;
  });
}

/** A request error of /graphql (HTTP level: the body, the media type, the method), in GraphQL's shape. */
export const requestError = (message: string) => ({
  errors: [{ message, extensions: { code: 'BAD_REQUEST' } }],
});
