import type { FastifyReply, FastifyRequest } from 'fastify';
import { GraphQLError } from 'graphql';
import type { IResolvers } from 'mercurius';
import { ZodError } from 'zod';
import type { RequestContext } from './context.js';
import { asApiError, ERROR_CODES } from './errors.js';

/** One root field a request resolved, and how: the union member it answered, or the error code. */
export interface RootOutcome {
  /** `Query.me`, `Mutation.startLogin`: a schema field, never the operation name the client chose. */
  root: string;
  outcome: string;
}

const outcomes = new WeakMap<FastifyRequest, RootOutcome[]>();

function errorCode(error: unknown): string {
  const known = asApiError(error);
  if (known) return known.code;
  if (error instanceof ZodError || error instanceof GraphQLError) return 'BAD_USER_INPUT';
  return 'INTERNAL';
}

function answerOutcome(answer: unknown): string {
  const typename = (answer as { __typename?: unknown } | null)?.__typename;
  return typeof typename === 'string' ? typename : 'ok';
}

/**
 * Wraps every Query and Mutation resolver so that the request remembers which root fields it resolved
 * and with what outcome (the request log and the request metrics read it). Subscriptions are left
 * alone: they live as long as their socket, not one request.
 */
export function recordingRootOutcomes(resolvers: IResolvers): IResolvers {
  const wrapped: Record<string, unknown> = { ...resolvers };
  for (const typeName of ['Query', 'Mutation'] as const) {
    const fields = resolvers[typeName] as Record<string, unknown> | undefined;
    if (!fields) continue;
    wrapped[typeName] = Object.fromEntries(
      Object.entries(fields).map(([field, resolve]) => {
        if (typeof resolve !== 'function') return [field, resolve];
        const root = `${typeName}.${field}`;
        return [
          field,
          async (parent: unknown, args: unknown, context: unknown, info: unknown) => {
            const request = (context as Partial<RequestContext>).request;
            const remember = (outcome: string) => {
              if (!request) return;
              const list = outcomes.get(request) ?? [];
              list.push({ root, outcome });
              outcomes.set(request, list);
            };
            try {
              const answer = await resolve(parent, args, context, info);
              remember(answerOutcome(answer));
              return answer;
            } catch (error) {
              remember(errorCode(error));
              throw error;
            }
          },
        ];
      }),
    );
  }
  return wrapped as IResolvers;
}

/** The catalogue's code for an HTTP status (the first one listed for it); 2xx and 3xx are `ok`. */
const CODE_OF_STATUS = new Map<number, string>();
for (const [code, { status }] of Object.entries(ERROR_CODES))
  if (!CODE_OF_STATUS.has(status)) CODE_OF_STATUS.set(status, code);

/**
 * What a request did, for its log line and its metrics: the root fields of a GraphQL request with
 * their outcomes; otherwise the route's pattern (never the path itself, which holds ids) and its status
 * as a catalogue code.
 */
export function requestOutcomes(request: FastifyRequest, reply: FastifyReply): RootOutcome[] {
  const recorded = outcomes.get(request);
  if (recorded && recorded.length > 0) return recorded;
  const status = reply.statusCode;
  const outcome = status < 400 ? 'ok' : (CODE_OF_STATUS.get(status) ?? `HTTP_${status}`);
  const pattern = request.routeOptions.url;
  // A GraphQL request that resolved no field was refused before execution (parse, validation, limits).
  if (pattern === '/graphql')
    return [{ root: 'graphql', outcome: status < 400 ? 'BAD_USER_INPUT' : outcome }];
  return [{ root: pattern ? `${request.method} ${pattern}` : 'unmatched', outcome }];
}
