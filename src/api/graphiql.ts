import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';

const require = createRequire(import.meta.url);
/** Where the installed packages keep their prebuilt browser files (no CDN: machines may be offline). */
const packageFolder = (name: string) => dirname(require.resolve(`${name}/package.json`));

/** The files GraphiQL's page loads, by the name it asks for: package folder and file. */
const ASSETS: Record<string, { folder: string; file: string }> = {
  'react.js': { folder: join(packageFolder('react'), 'umd'), file: 'react.production.min.js' },
  'react-dom.js': { folder: join(packageFolder('react-dom'), 'umd'), file: 'react-dom.production.min.js' },
  'graphiql.js': { folder: packageFolder('graphiql'), file: 'graphiql.min.js' },
  'graphiql.css': { folder: packageFolder('graphiql'), file: 'graphiql.min.css' },
};

/**
 * GraphiQL's own policy: its scripts from here only (no inline script, no eval); React and
 * CodeMirror write style attributes, hence 'unsafe-inline' for styles on this page alone.
 */
export const GRAPHIQL_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "frame-ancestors 'none'",
  "form-action 'none'",
  "base-uri 'none'",
  "object-src 'none'",
].join('; ');

const PAGE = `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>portal-core GraphiQL</title>
  <link rel="stylesheet" href="/graphiql/graphiql.css">
  <style>body { margin: 0; } #graphiql { height: 100vh; }</style>
</head>
<body>
  <div id="graphiql">Loading GraphiQL...</div>
  <script src="/graphiql/react.js"></script>
  <script src="/graphiql/react-dom.js"></script>
  <script src="/graphiql/graphiql.js"></script>
  <script src="/graphiql/boot.js"></script>
</body>
</html>
`;

/** Starts GraphiQL on /graphql with the headers editor open for `Authorization: Bearer <token>`. */
const BOOT = `(function () {
  var fetcher = GraphiQL.createFetcher({ url: '/graphql' });
  var root = ReactDOM.createRoot(document.getElementById('graphiql'));
  root.render(React.createElement(GraphiQL, {
    fetcher: fetcher,
    isHeadersEditorEnabled: true,
    defaultEditorToolsVisibility: 'headers',
    defaultHeaders: '{\\n  "Authorization": "Bearer <token from confirmRegistration or completeLogin>"\\n}',
    shouldPersistHeaders: false
  }));
})();
`;

/**
 * GraphiQL at /graphiql, from the npm packages installed with the project (graphiql@3's prebuilt
 * bundle with React 18's UMD builds): it works without internet. Development only (DEV_TOOLS,
 * which production refuses).
 */
export async function graphiqlRoutes(app: FastifyInstance) {
  await app.register(fastifyStatic, { root: packageFolder('graphiql'), serve: false });
  app.get('/graphiql', (_request, reply) =>
    reply.header('content-security-policy', GRAPHIQL_CSP).type('text/html; charset=utf-8').send(PAGE),
  );
  app.get('/graphiql/boot.js', (_request, reply) => reply.type('text/javascript; charset=utf-8').send(BOOT));
  app.get<{ Params: { asset: string } }>('/graphiql/:asset', (request, reply) => {
    const asset = ASSETS[request.params.asset];
    if (!asset) return reply.status(404).send({ error: 'NOT_FOUND', message: 'No such file.' });
    return reply.sendFile(asset.file, asset.folder, { maxAge: 3_600_000 });
  });
}
