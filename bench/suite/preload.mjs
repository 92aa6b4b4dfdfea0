// The benchmark's baseline route, added to the production server from outside it:
//   node --import ./bench/suite/preload.mjs dist/main.js
// Nothing of the benchmark ships in the server, and no configuration of the server can open this
// route: it exists only in a process started this way. Fastify announces each new instance on the
// diagnostics channel 'fastify.initialization'; this adds, to the instance the server builds,
//   PUT  /bench/memory   keep the request body in memory (the JSON a GraphQL read answered)
//   POST /bench/memory   answer that JSON from memory
// so a read through the whole server (HTTP, hooks, JSON) can be compared with the same answer
// served with no GraphQL, no session and no read model.
import diagnostics from 'node:diagnostics_channel';

let kept = '{}';
diagnostics.subscribe('fastify.initialization', ({ fastify }) => {
  fastify.register(async (scope) => {
    scope.addContentTypeParser('application/json', { parseAs: 'string' }, (_request, text, done) =>
      done(null, text),
    );
    scope.put('/bench/memory', async (request) => {
      kept = String(request.body);
      return { kept: kept.length };
    });
    scope.post('/bench/memory', async (_request, reply) => reply.type('application/json').send(kept));
  });
});
