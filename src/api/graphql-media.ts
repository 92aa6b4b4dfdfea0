/**
 * The media types of GraphQL over HTTP. `application/graphql-response+json` lets the status code
 * tell a request the server could not run (400) from one it ran (200); `application/json` is what
 * older clients know, answered 200 for every well-formed GraphQL request, as the specification
 * asks during its transition.
 */
export const GRAPHQL_RESPONSE = 'application/graphql-response+json';
export const JSON_MEDIA = 'application/json';
export type GraphqlMedia = typeof GRAPHQL_RESPONSE | typeof JSON_MEDIA;

/**
 * The media type to answer with, from the Accept header: the one the client ranks highest (by q,
 * then an explicitly named type before a wildcard, then graphql-response+json before json).
 * No Accept header, `*\/*`, `application/*` or only types we do not serve: application/json (the
 * specification lets a server disregard an Accept it cannot satisfy rather than answer 406).
 */
export function negotiateMedia(accept: string | undefined): GraphqlMedia {
  if (!accept) return JSON_MEDIA;
  let best: { media: GraphqlMedia; rank: number } = { media: JSON_MEDIA, rank: -1 };
  for (const part of accept.split(',')) {
    const [range = '', ...parameters] = part.split(';').map((s) => s.trim().toLowerCase());
    const q = Number(parameters.find((p) => p.startsWith('q='))?.slice(2) ?? '1');
    if (!(q > 0 && q <= 1)) continue;
    const candidate =
      range === GRAPHQL_RESPONSE
        ? { media: GRAPHQL_RESPONSE, specificity: 2 }
        : range === JSON_MEDIA
          ? { media: JSON_MEDIA, specificity: 1 }
          : range === '*/*' || range === 'application/*'
            ? { media: JSON_MEDIA, specificity: 0 }
            : null;
    if (!candidate) continue;
    const rank = q * 10 + candidate.specificity;
    if (rank > best.rank) best = { media: candidate.media as GraphqlMedia, rank };
  }
  return best.media;
}
