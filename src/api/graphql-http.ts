import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import {
  type DocumentNode,
  type ExecutionResult,
  execute,
  GraphQLError,
  type GraphQLSchema,
  getOperationAST,
  parse,
  specifiedRules,
  type ValidationRule,
  validate,
} from 'graphql';
import { asApiError, ERROR_CODES } from './errors.js';
import { formatErrors, requestError } from './graphql-errors.js';
import { GRAPHQL_RESPONSE, type GraphqlMedia, negotiateMedia } from './graphql-media.js';
import { type GraphqlParams, RequestRefused, readParams } from './graphql-request.js';
import { sendHttpError } from './http-errors.js';
import { discardUnreadBody } from './oversized-body.js';

export const GRAPHQL_PATH = '/graphql';

/** What the endpoint runs: the executable schema, the rules added to graphql's own, the context. */
export interface GraphqlEndpoint {
  schema(): GraphQLSchema;
  rules: readonly ValidationRule[];
  context(request: FastifyRequest, reply: FastifyReply): object | Promise<object>;
  production: boolean;
}

/**
 * Documents that parsed and validated, by their text: a client repeats the same few queries. Only
 * short ones are kept, so the cache stays small whatever long documents a client sends.
 */
const MAX_CACHED_DOCUMENTS = 500;
const MAX_CACHED_SOURCE_LENGTH = 8 * 1024;

type Prepared = { document: DocumentNode } | { errors: readonly GraphQLError[] };

function documentPreparer(endpoint: GraphqlEndpoint) {
  const cache = new Map<string, DocumentNode>();
  return (source: string): Prepared => {
    const cached = cache.get(source);
    if (cached) return { document: cached };
    let document: DocumentNode;
    try {
      document = parse(source);
    } catch (error) {
      if (error instanceof GraphQLError) return { errors: [error] };
      throw error;
    }
    const errors = validate(endpoint.schema(), document, [...specifiedRules, ...endpoint.rules]);
    if (errors.length > 0) return { errors };
    if (source.length > MAX_CACHED_SOURCE_LENGTH) return { document };
    if (cache.size >= MAX_CACHED_DOCUMENTS) cache.delete(cache.keys().next().value as string);
    cache.set(source, document);
    return { document };
  };
}

function answer(reply: FastifyReply, media: GraphqlMedia, status: number, body: unknown) {
  return reply.status(status).type(`${media}; charset=utf-8`).send(body);
}

/**
 * A request error: nothing ran. The GraphQL shape with code BAD_REQUEST, and the status that names
 * the fault (400, 405, 413, 415). Logged at info without a stack: it is the client's mistake.
 */
function refuse(request: FastifyRequest, reply: FastifyReply, status: number, message: string) {
  request.log.info({ status, refused: message }, 'graphql request refused');
  return answer(reply, negotiateMedia(request.headers.accept), status, requestError(message));
}

/** Why fastify refused the body, in the client's words, with the status the specification asks. */
function bodyRefusal(error: FastifyError, request: FastifyRequest, bodyLimit: number) {
  switch (error.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return { status: 413, message: `The body is over the limit of ${bodyLimit} bytes.` };
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return request.headers['content-type'] === undefined
        ? { status: 400, message: 'A POST to /graphql needs the header content-type: application/json.' }
        : { status: 415, message: 'A POST to /graphql takes an application/json body only.' };
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return { status: 400, message: 'The body is not valid JSON.' };
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return { status: 400, message: 'The body is empty: send {"query": "..."}.' };
    default:
      return error instanceof SyntaxError
        ? { status: 400, message: 'The body is not valid JSON.' }
        : { status: error.statusCode ?? 400, message: 'The request is malformed.' };
  }
}

/**
 * /graphql as the GraphQL-over-HTTP specification has it (checked by graphql-http's audit in
 * test/api/graphql-over-http.e2e.spec.ts): POST with an application/json body, GET for queries
 * only, answers in application/graphql-response+json or application/json by the Accept header.
 * Mercurius keeps the schema, the resolvers and the websocket subscriptions; this route replaces
 * its HTTP handler, whose status codes and media types the specification's audit refuses.
 */
export async function graphqlOverHttp(
  scope: FastifyInstance,
  endpoint: GraphqlEndpoint,
): Promise<{ get: (request: FastifyRequest, reply: FastifyReply) => Promise<unknown> }> {
  const prepare = documentPreparer(endpoint);
  const bodyLimit = scope.initialConfig.bodyLimit ?? 1024 * 1024;

  // Only JSON bodies: text/plain, which a cross-site form can send, is not a GraphQL request here.
  scope.removeContentTypeParser('text/plain');

  scope.setErrorHandler((error: FastifyError, request, reply) => {
    if (asApiError(error)) return sendHttpError(asApiError(error)!, reply);
    const status = error.statusCode ?? 500;
    if (status >= 500) {
      request.log.error({ err: error }, 'unexpected error');
      const internal = { message: 'Something went wrong on our side.', extensions: { code: 'INTERNAL' } };
      return answer(reply, negotiateMedia(request.headers.accept), ERROR_CODES.INTERNAL.status, {
        errors: [internal],
      });
    }
    discardUnreadBody(request);
    const refused = bodyRefusal(error, request, bodyLimit);
    return refuse(request, reply, refused.status, refused.message);
  });

  const run = async (request: FastifyRequest, reply: FastifyReply, method: 'GET' | 'POST') => {
    const media = negotiateMedia(request.headers.accept);
    let params: GraphqlParams;
    try {
      params = readParams(method === 'GET' ? request.query : request.body, method);
    } catch (error) {
      if (error instanceof RequestRefused) return refuse(request, reply, error.status, error.message);
      throw error;
    }
    // Under graphql-response+json a request that cannot run is a 400; application/json answers 200.
    const notRun = media === GRAPHQL_RESPONSE ? 400 : 200;
    const errors = (list: readonly GraphQLError[]) => formatErrors(list, request.log, endpoint.production);

    const prepared = prepare(params.query);
    if ('errors' in prepared) return answer(reply, media, notRun, { errors: errors(prepared.errors) });
    const operation = getOperationAST(prepared.document, params.operationName);
    if (!operation) {
      const message = params.operationName
        ? `No operation named "${params.operationName}" in the document.`
        : 'The document holds several operations: name the one to run in {operationName}.';
      return answer(reply, media, notRun, { errors: errors([new GraphQLError(message)]) });
    }
    if (method === 'GET' && operation.operation !== 'query') {
      reply.header('allow', 'POST');
      return refuse(
        request,
        reply,
        405,
        `A ${operation.operation} must be sent with POST; GET runs queries only.`,
      );
    }
    if (operation.operation === 'subscription')
      return refuse(
        request,
        reply,
        400,
        'Subscriptions are served over a websocket (graphql-transport-ws) at /graphql.',
      );

    const result = (await execute({
      schema: endpoint.schema(),
      document: prepared.document,
      contextValue: await endpoint.context(request, reply),
      variableValues: params.variables,
      operationName: params.operationName,
    })) as ExecutionResult;
    // No data entry: the variables could not be coerced, so nothing ran.
    if (!('data' in result) || result.data === undefined)
      return answer(reply, media, notRun, { errors: errors(result.errors ?? []) });
    return answer(reply, media, 200, {
      data: result.data,
      ...(result.errors?.length ? { errors: errors(result.errors) } : {}),
    });
  };

  scope.post(GRAPHQL_PATH, (request, reply) => run(request, reply, 'POST'));
  scope.route({
    method: ['PUT', 'PATCH', 'DELETE'],
    url: GRAPHQL_PATH,
    handler: (request, reply) => {
      reply.header('allow', 'GET, POST');
      return refuse(request, reply, 405, '/graphql answers GET (queries) and POST.');
    },
  });
  // The GET route is registered with the websocket handler (subscriptions share the path).
  return { get: (request, reply) => run(request, reply, 'GET') };
}
