import type { FastifyRequest } from 'fastify';
import type { Services } from '../app/services.js';
import type { Authenticator, Viewer } from '../app/viewer.js';
import { tokenOf } from './context.js';
import { unauthenticated } from './errors.js';
import { preferredLanguage } from './language.js';

/** The close code a connection gets when its session has ended (graphql-ws: 4403 Forbidden, no retry). */
export const SESSION_ENDED_CLOSE_CODE = 4403;

/** The part of the websocket a connection context needs: closing it when its session ends. */
interface ClosableSocket {
  close(code?: number, reason?: string): void;
}

/**
 * What subscription resolvers may use of a RequestContext: the services, the language, the viewer as
 * it was when the connection opened, and `currentViewer()`, which asks the authenticator again with
 * the connection's token. A connection lives for hours; a session can end (logout, password change,
 * expiry) or lose a role meanwhile, so everything pushed is re-checked with currentViewer() first.
 */
function connectionContext(
  services: Services,
  authenticator: Authenticator,
  token: string | null,
  viewer: Promise<Viewer | null>,
  acceptLanguage?: string,
) {
  return {
    services,
    lang: preferredLanguage(acceptLanguage),
    viewer: () => viewer,
    async requireViewer() {
      const found = await viewer;
      if (!found) throw unauthenticated();
      return found;
    },
    /** null for an anonymous connection, and for one whose session no longer stands. */
    currentViewer: (): Promise<Viewer | null> =>
      token ? authenticator.viewerForToken(token) : Promise.resolve(null),
  };
}

const bearer = (value: unknown): string | null =>
  typeof value === 'string' && value.startsWith('Bearer ') ? value.slice(7).trim() || null : null;

/**
 * Websocket connections (graphql-transport-ws at /graphql): the token comes in connection_init's
 * payload as { authorization: 'Bearer <token>' }, or else from the session cookie of the upgrade
 * request. A token that names no session refuses the connection; no token at all is anonymous
 * (a foreign national following an application with its tracking code). The token stays in the
 * context: each push re-checks it (resolvers/applications.ts), and a connection whose session has
 * ended is closed with SESSION_ENDED_CLOSE_CODE (`endConnection`).
 */
export function subscriptionOptions(services: Services, authenticator: Authenticator) {
  return {
    context: (socket: ClosableSocket, request: FastifyRequest) => {
      const { token } = tokenOf(request);
      const language = request.headers['accept-language'];
      return {
        ...connectionContext(
          services,
          authenticator,
          token,
          token ? authenticator.viewerForToken(token) : Promise.resolve(null),
          typeof language === 'string' ? language : undefined,
        ),
        // onConnect's context is merged over this one and has no socket: this stays.
        endConnection: (reason: string) => socket.close(SESSION_ENDED_CLOSE_CODE, reason),
      };
    },
    onConnect: async ({ payload }: { payload?: Record<string, unknown> }) => {
      const raw = payload?.authorization ?? payload?.Authorization;
      if (raw === undefined) return true;
      const token = bearer(raw);
      const viewer = token ? await authenticator.viewerForToken(token) : null;
      if (!viewer) return false;
      const language = payload?.['accept-language'];
      return connectionContext(
        services,
        authenticator,
        token,
        Promise.resolve(viewer),
        typeof language === 'string' ? language : undefined,
      );
    },
  };
}

/**
 * Passes on what `source` yields only after `admit` turns it into the value to send; when `admit`
 * answers null, the source is closed and the iteration ends (graphql-ws then completes the
 * subscription). A plain iterator object rather than an async generator: a generator's return()
 * waits for its pending next(), so a client stopping a quiet subscription would hang until the
 * next event; this one closes the source at once.
 */
export function admittedIterator<T, R>(
  updates: AsyncIterable<T>,
  admit: (value: T) => Promise<R | null>,
): AsyncIterableIterator<R> {
  const source = updates[Symbol.asyncIterator]();
  const close = async (): Promise<IteratorResult<R>> => {
    await source.return?.();
    return { done: true, value: undefined };
  };
  return {
    async next(): Promise<IteratorResult<R>> {
      const item = await source.next();
      if (item.done) return { done: true, value: undefined };
      const admitted = await admit(item.value);
      return admitted === null ? close() : { done: false, value: admitted };
    },
    return: close,
    [Symbol.asyncIterator]() {
      return this;
    },
  };
}
