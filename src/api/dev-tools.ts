import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { Services } from '../app/services.js';
import { ApiError } from './errors.js';

const AdvanceBody = z.object({ ms: z.number().finite().nonnegative() });

/**
 * Development tools: the outbox that stands in for phones and mailboxes, and the clock every time
 * window reads. Registered only with DEV_TOOLS=1, which configuration refuses in production.
 * Features add their own /dev routes (registry, roles) next to these.
 */
export async function devToolsRoutes(app: FastifyInstance, services: Services) {
  app.get('/dev/clock', async () => ({ now: services.clock.now().toISOString() }));

  app.post('/dev/clock/advance', async (request) => {
    const body = AdvanceBody.safeParse(request.body);
    if (!body.success)
      throw new ApiError('BAD_REQUEST', 'The body must be {"ms": <a number of milliseconds, 0 or more>}.');
    return { now: services.clock.advance(body.data.ms).toISOString() };
  });

  app.get('/dev/outbox', async (request) => {
    const { to } = request.query as { to?: string };
    // An unencoded '+' of an E.164 number arrives as a space.
    const wanted = to?.replace(/^ (?=\d)/, '+');
    return services.outbox?.list(wanted) ?? [];
  });
}
