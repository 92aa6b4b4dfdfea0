import type { IncomingMessage } from 'node:http';

/** What `ws` hands its verifyClient: the upgrade request and the Origin header it carried. */
interface UpgradeInfo {
  origin?: string;
  req: IncomingMessage;
}

/** The origin's host (host:port), or null when the Origin header is not a URL. */
function hostOf(origin: string): string | null {
  try {
    return new URL(origin).host;
  } catch {
    return null;
  }
}

/**
 * The websocket upgrade's answer to cross-site websocket hijacking: a browser sends the cookie of
 * this site with an upgrade that any page starts, and CORS does not apply to websockets. So an
 * upgrade from a browser (it always sends Origin) is accepted only from the server's own origin
 * (the Host it was asked for) or one of PORTAL_ORIGINS; others get 403 before any message.
 * Without Origin the client is not a browser (a server, a mobile app): it has no ambient cookie
 * to abuse, and signs in with its own token.
 */
export function websocketOriginCheck(allowed: readonly string[]) {
  const origins = new Set(allowed);
  return (info: UpgradeInfo, done: (result: boolean, code?: number, message?: string) => void) => {
    const origin = info.origin ?? info.req.headers.origin;
    if (origin === undefined) return done(true);
    const sameHost = hostOf(origin) !== null && hostOf(origin) === info.req.headers.host;
    if (sameHost || origins.has(origin)) return done(true);
    return done(false, 403, 'Origin not allowed');
  };
}
