import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * The request a piece of work belongs to, carried through its asynchronous continuations, so that the
 * application's own log lines (the use cases', the notifier's) name the request as fastify's do.
 */
const requestScope = new AsyncLocalStorage<{ requestId: string }>();

/** Runs `work` (and everything it starts) as part of the request with this id. */
export function inRequestScope<T>(requestId: string, work: () => T): T {
  return requestScope.run({ requestId }, work);
}

/** pino's `mixin`: `{requestId}` on every line written while a request's work runs, else nothing. */
export function requestIdMixin(): { requestId?: string } {
  const scope = requestScope.getStore();
  return scope ? { requestId: scope.requestId } : {};
}
