import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';
import { GraphQLError } from 'graphql';
import mercurius from 'mercurius';
import { ZodError } from 'zod';
import type { Services } from '../app/services.js';
import type { Authenticator } from '../app/viewer.js';
import { DependencyUnavailableError } from '../infra/unavailable.js';
import { buildContext } from './context.js';
import { asApiError } from './errors.js';
import { MAX_DEPTH, queryLimits } from './query-cost.js';
import { recordingRootOutcomes } from './request-outcomes.js';
import { features } from './resolvers/features.js';
import { mergeResolvers } from './resolvers/index.js';
import { subscriptionOptions } from './subscription-context.js';

const here = dirname(fileURLToPath(import.meta.url));
/** The contract's schema (unchanged) and our additions; read from src/ whether running from src or dist. */
const schemaDir = join(here, '..', '..', 'src', 'api');
export const schemaText = ['schema.graphql', 'schema-extensions.graphql']
  .map((file) => readFileSync(join(schemaDir, file), 'utf8'))
  .join('\n');

/** Maps any thrown error to the catalogue's codes; unexpected ones lose their message (it may leak). */
function toGraphqlError(error: GraphQLError, log: FastifyInstance['log']): GraphQLError {
  const original = error.originalError;
  const options = { nodes: error.nodes, source: error.source, positions: error.positions, path: error.path };
  const known = asApiError(original);
  if (original instanceof DependencyUnavailableError)
    log.warn({ dependency: original.dependency, err: original.cause }, 'a dependency is unavailable');
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
    // Parse and validation errors: the client's query is at fault.
    return new GraphQLError(error.message, { ...options, extensions: { code: 'BAD_USER_INPUT' } });
  }
  log.error({ err: original }, 'unexpected error in a resolver');
  return new GraphQLError('Something went wrong on our side.', {
    ...options,
    extensions: { code: 'INTERNAL' },
  });
}

export async function registerGraphql(
  app: FastifyInstance,
  services: Services,
  authenticator: Authenticator,
) {
  await app.register(mercurius, {
    schema: schemaText,
    resolvers: recordingRootOutcomes(mergeResolvers(features)),
    graphiql: services.config.DEV_TOOLS,
    path: '/graphql',
    queryDepth: MAX_DEPTH,
    validationRules: queryLimits(services.config.NODE_ENV === 'production'),
    context: (request, reply) => buildContext(services, authenticator, request, reply),
    // graphql-transport-ws over websockets at /graphql; see subscription-context.ts for sign-in.
    subscription: subscriptionOptions(services, authenticator),
    errorFormatter: (execution, context) => {
      const log = (context as { reply?: { log: FastifyInstance['log'] } }).reply?.log ?? app.log;
      const flattened = execution.errors.flatMap((error) => {
        const inner = (error.originalError as { errors?: unknown })?.errors;
        return Array.isArray(inner) ? (inner as GraphQLError[]) : [error];
      });
      return {
        statusCode: 200,
        response: {
          data: execution.data ?? null,
          errors: flattened.map((e) => toGraphqlError(e, log).toJSON()),
        },
      };
    },
  });
}
