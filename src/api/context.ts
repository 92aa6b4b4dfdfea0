import type { FastifyReply, FastifyRequest } from 'fastify';
import type { CommandMeta } from '../app/command-handler.js';
import type { Services } from '../app/services.js';
import type { Authenticator, Viewer } from '../app/viewer.js';
import type { Actor } from '../domain/shared/events.js';
import type { Language } from '../domain/shared/language.js';
import { unauthenticated } from './errors.js';
import { preferredLanguage } from './language.js';

export const SESSION_COOKIE = 'portal_session';

export interface RequestContext {
  services: Services;
  request: FastifyRequest;
  reply: FastifyReply;
  lang: Language;
  ip: string;
  correlationId: string;
  /** The session token the request carries (header or cookie), if any. */
  token: string | null;
  /** True when the token came from the cookie: such requests need a JSON content type (CSRF). */
  tokenFromCookie: boolean;
  viewer(): Promise<Viewer | null>;
  requireViewer(): Promise<Viewer>;
  /** Metadata for the events a command appends on behalf of this request. */
  meta(actor?: Actor): CommandMeta;
}

export function tokenOf(request: FastifyRequest): { token: string | null; fromCookie: boolean } {
  const header = request.headers.authorization;
  if (header?.startsWith('Bearer ')) return { token: header.slice(7).trim() || null, fromCookie: false };
  const cookie = (request as FastifyRequest & { cookies?: Record<string, string | undefined> }).cookies?.[
    SESSION_COOKIE
  ];
  return cookie ? { token: cookie, fromCookie: true } : { token: null, fromCookie: false };
}

function cookieMayAuthenticate(request: FastifyRequest): boolean {
  if (request.method === 'GET') return true;
  const type = request.headers['content-type'];
  return typeof type === 'string' && type.split(';')[0]!.trim().toLowerCase() === 'application/json';
}

export function buildContext(
  services: Services,
  authenticator: Authenticator,
  request: FastifyRequest,
  reply: FastifyReply,
): RequestContext {
  const carried = tokenOf(request);
  // CSRF: a cross-site form can send the cookie but never a JSON content type, so a cookie counts only
  // on GET queries and JSON posts; otherwise the request is anonymous.
  const { token, fromCookie } =
    carried.fromCookie && !cookieMayAuthenticate(request) ? { token: null, fromCookie: false } : carried;
  // The request id (request-id.ts: the caller's when well formed), stored in every event it causes.
  const correlationId = request.id;
  let viewer: Promise<Viewer | null> | undefined;
  const context: RequestContext = {
    services,
    request,
    reply,
    lang: preferredLanguage(request.headers['accept-language']),
    ip: request.ip,
    correlationId,
    token,
    tokenFromCookie: fromCookie,
    viewer() {
      viewer ??= token ? authenticator.viewerForToken(token) : Promise.resolve(null);
      return viewer;
    },
    async requireViewer() {
      const found = await context.viewer();
      if (!found) throw unauthenticated();
      return found;
    },
    meta(actor?: Actor): CommandMeta {
      return { actor: actor ?? { kind: 'ANONYMOUS' }, correlationId, ip: request.ip };
    },
  };
  return context;
}
