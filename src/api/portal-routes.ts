import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, extname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';

const here = dirname(fileURLToPath(import.meta.url));
/** The portal's build (`npm run build`, web/ -> dist/web/); the same folder from src/ or dist/. */
export const PORTAL_DIR = join(here, '..', '..', 'dist', 'web');

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
};

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    return entry.isDirectory() ? filesUnder(path) : [path];
  });
}

/**
 * The reference portal at `/`: one route per file of the build, read once at start-up, so nothing
 * outside the build can be asked for (no path from the request ever reaches the file system) and
 * every other path stays the API's, with its JSON 404. Client-side routes live in the hash.
 * Without a build (tests that build no portal) no route is added.
 */
export async function portalRoutes(app: FastifyInstance, dir = PORTAL_DIR): Promise<void> {
  let files: string[];
  try {
    files = statSync(join(dir, 'index.html')).isFile() ? filesUnder(dir) : [];
  } catch {
    return;
  }
  for (const file of files) {
    const type = TYPES[extname(file)];
    if (!type) continue;
    const body = readFileSync(file);
    const url = `/${relative(dir, file).split(sep).join('/')}`;
    // Vite names assets by content hash: they never change under one name. The page itself must
    // be asked for again, so a new build is picked up at once.
    const cache = url.startsWith('/assets/') ? 'public, max-age=31536000, immutable' : 'no-cache';
    const send = (_request: unknown, reply: import('fastify').FastifyReply) =>
      reply.header('content-type', type).header('cache-control', cache).send(body);
    app.get(url === '/index.html' ? '/' : url, send);
  }
}
