import type { FastifyRequest } from 'fastify';
import type { Services } from '../app/services.js';
import { type Authenticator, tokenOf, type Viewer } from './context.js';
import { unauthenticated } from './errors.js';
import { preferredLanguage } from './language.js';

/** What subscription resolvers may use of a RequestContext: the services, the language, the viewer. */
function connectionContext(services: Services, viewer: Promise<Viewer | null>, acceptLanguage?: string) {
  return {
    services,
    lang: preferredLanguage(acceptLanguage),
    viewer: () => viewer,
    async requireViewer() {
      const found = await viewer;
      if (!found) throw unauthenticated();
      return found;
    },
  };
}

const bearer = (value: unknown): string | null =>
  typeof value === 'string' && value.startsWith('Bearer ') ? value.slice(7).trim() || null : null;

/**
 * Websocket connections (graphql-transport-ws at /graphql): the token comes in connection_init's
 * payload as { authorization: 'Bearer <token>' }, or else from the session cookie of the upgrade
 * request. A token that names no session refuses the connection; no token at all is anonymous
 * (a foreign national following an application with its tracking code).
 */
export function subscriptionOptions(services: Services, authenticator: Authenticator) {
  return {
    context: (_socket: unknown, request: FastifyRequest) => {
      const { token } = tokenOf(request);
      const language = request.headers['accept-language'];
      return connectionContext(
        services,
        token ? authenticator.viewerForToken(token) : Promise.resolve(null),
        typeof language === 'string' ? language : undefined,
      );
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
        Promise.resolve(viewer),
        typeof language === 'string' ? language : undefined,
      );
    },
  };
}
