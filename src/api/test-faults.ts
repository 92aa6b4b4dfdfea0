import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { Services } from '../app/services.js';
import { SqliteEventStore } from '../infra/eventstore/sqlite.js';
import { ApiError } from './errors.js';

const FaultBody = z.object({ fault: z.enum(['SQLITE_FULL']).nullable() });

/**
 * Faults a test injects into a running process (TEST_FAULTS=1 with DEV_TOOLS=1; configuration
 * refuses it in production): `POST /dev/faults/event-store {"fault":"SQLITE_FULL"}` makes the SQLite
 * store's writes fail as a full disk does, `{"fault":null}` lifts it.
 */
export async function testFaultRoutes(app: FastifyInstance, services: Pick<Services, 'store'>) {
  app.post('/dev/faults/event-store', async (request) => {
    const body = FaultBody.safeParse(request.body);
    if (!body.success) throw new ApiError('BAD_REQUEST', 'The body must be {"fault": "SQLITE_FULL" | null}.');
    if (!(services.store instanceof SqliteEventStore))
      throw new ApiError('BAD_REQUEST', 'Write faults exist only for the SQLite event store.');
    services.store.setWriteFault(body.data.fault);
    return { fault: body.data.fault };
  });
}
