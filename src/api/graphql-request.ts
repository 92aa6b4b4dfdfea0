/** The parameters of one GraphQL request, as the GraphQL-over-HTTP specification names them. */
export interface GraphqlParams {
  query: string;
  operationName: string | undefined;
  variables: Record<string, unknown> | undefined;
}

/** Why a request cannot be run at all: its answer is 400 with code BAD_REQUEST, and nothing runs. */
export class RequestRefused extends Error {
  constructor(
    message: string,
    readonly status = 400,
  ) {
    super(message);
    this.name = 'RequestRefused';
  }
}

const isMap = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** A GET carries variables and extensions as JSON text in the query string. */
function fromJsonText(name: string, value: unknown): unknown {
  if (value === undefined) return undefined;
  if (typeof value !== 'string') throw new RequestRefused(`{${name}} must be given once.`);
  try {
    return JSON.parse(value);
  } catch {
    throw new RequestRefused(`{${name}} is not valid JSON.`);
  }
}

/**
 * Checks the request's parameters (a POST's JSON body, or a GET's query string) before anything
 * runs: `query` a non-empty string; `operationName` a string or null; `variables` and `extensions`
 * maps or null. Persisted queries (Apollo's `extensions.persistedQuery` without a query) are not
 * served: the client is told to send the query itself, which Apollo's link then does.
 */
export function readParams(body: unknown, from: 'GET' | 'POST'): GraphqlParams {
  if (!isMap(body)) throw new RequestRefused('The body must be a JSON object: {"query": "..."}.');
  const variables = from === 'GET' ? fromJsonText('variables', body.variables) : body.variables;
  const extensions = from === 'GET' ? fromJsonText('extensions', body.extensions) : body.extensions;
  const { query, operationName } = body;
  if (extensions !== undefined && extensions !== null && !isMap(extensions))
    throw new RequestRefused('{extensions} must be a map.');
  if (query === undefined || query === null || query === '') {
    if (isMap(extensions) && extensions.persistedQuery !== undefined)
      throw new RequestRefused('PersistedQueryNotSupported: send the query itself.');
    throw new RequestRefused('{query} is missing: send the GraphQL document as a string.');
  }
  if (typeof query !== 'string') throw new RequestRefused('{query} must be a string.');
  if (operationName !== undefined && operationName !== null && typeof operationName !== 'string')
    throw new RequestRefused('{operationName} must be a string.');
  if (variables !== undefined && variables !== null && !isMap(variables))
    throw new RequestRefused('{variables} must be a map.');
  return {
    query,
    operationName: operationName ?? undefined,
    variables: variables ?? undefined,
  };
}
