import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyBaseLogger, FastifyInstance, FastifyPluginAsync } from 'fastify';
import { type GraphQLError, specifiedRules, validate } from 'graphql';
import mercurius from 'mercurius';
import type { Services } from '../app/services.js';
import type { Authenticator } from '../app/viewer.js';
import { buildContext } from './context.js';
import { formatErrors } from './graphql-errors.js';
import { GRAPHQL_PATH, graphqlOverHttp } from './graphql-http.js';
import { MAX_DEPTH, queryLimits } from './query-cost.js';
import { recordingRootOutcomes } from './request-outcomes.js';
import { features } from './resolvers/features.js';
import { mergeResolvers } from './resolvers/index.js';
import { subscriptionOptions } from './subscription-context.js';
import { websocketOriginCheck } from './websocket-origin.js';

const here = dirname(fileURLToPath(import.meta.url));
/** The contract's schema (unchanged) and our additions; read from src/ whether running from src or dist. */
const schemaDir = join(here, '..', '..', 'src', 'api');
export const schemaText = ['schema.graphql', 'schema-extensions.graphql']
  .map((file) => readFileSync(join(schemaDir, file), 'utf8'))
  .join('\n');

/**
 * Mercurius' websocket transport (graphql-transport-ws and graphql-ws), without its HTTP routes.
 * Mercurius exports no way to keep one without the other, so its own module is loaded (pinned by
 * the ^16 range; test/applications/subscription*.e2e.spec.ts would fail on a change of shape).
 */
const require = createRequire(import.meta.url);
const mercuriusSubscriptions = require('mercurius/lib/subscription.js') as FastifyPluginAsync<
  Record<string, unknown>
>;

/** Flattens mercurius' wrapped errors (a validation error holds its list in `errors`). */
function flatten(errors: readonly GraphQLError[]): GraphQLError[] {
  return errors.flatMap((error) => {
    const inner = (error.originalError as { errors?: unknown })?.errors;
    return Array.isArray(inner) ? (inner as GraphQLError[]) : [error];
  });
}

export async function registerGraphql(
  app: FastifyInstance,
  services: Services,
  authenticator: Authenticator,
) {
  const production = services.config.NODE_ENV === 'production';
  const rules = queryLimits(production);
  const subscriptions = subscriptionOptions(services, authenticator);
  // The errors of a subscription's pushes, as mercurius' transport wants them formatted.
  const errorFormatter = (
    execution: { data?: Record<string, unknown> | null; errors: readonly GraphQLError[] },
    context: unknown,
  ) => {
    const log: FastifyBaseLogger = (context as { reply?: { log: FastifyBaseLogger } }).reply?.log ?? app.log;
    return {
      statusCode: 200,
      response: {
        data: execution.data ?? null,
        errors: formatErrors(flatten(execution.errors), log, production),
      },
    };
  };

  await app.register(mercurius, {
    schema: schemaText,
    resolvers: recordingRootOutcomes(mergeResolvers(features)),
    // The HTTP routes are graphql-http.ts's; GraphiQL is served offline by graphiql.ts.
    routes: false,
    graphiql: false,
    queryDepth: MAX_DEPTH,
    validationRules: rules,
    subscription: subscriptions,
    errorFormatter,
  });

  // Mercurius' websocket transport runs a subscription without validating its document at all:
  // graphql's rules and ours are applied here before it is subscribed.
  app.graphql.addHook('preSubscriptionExecution', async (schema, document) => {
    const errors = validate(schema, document, [...specifiedRules, ...rules]);
    if (errors.length > 0) throw errors[0];
  });

  await app.register(async (scope) => {
    const http = await graphqlOverHttp(scope, {
      schema: () => app.graphql.schema,
      rules,
      production,
      context: (request, reply) => buildContext(services, authenticator, request, reply),
    });
    await scope.register(mercuriusSubscriptions, {
      getOptions: { url: GRAPHQL_PATH, method: 'GET', handler: http.get },
      subscriber: app.graphql.pubsub,
      verifyClient: websocketOriginCheck(services.config.PORTAL_ORIGINS),
      onConnect: subscriptions.onConnect,
      subscriptionContextFn: subscriptions.context,
      queryDepthLimit: MAX_DEPTH,
      errorFormatter,
    });
  });
}
