import { dataAccessDecider, type RecordDataAccess } from '../../domain/audit/data-access.js';
import type { Actor } from '../../domain/shared/events.js';
import { dataAccessStream } from '../../domain/shared/streams.js';
import type { Services } from '../services.js';

export class DataAccessNotRecorded extends Error {
  readonly code = 'UNAVAILABLE';
  constructor(cause: unknown) {
    super('The reading could not be recorded, so it is refused; try again.', { cause });
    this.name = 'DataAccessNotRecorded';
  }
}

export interface DataAccessRequest extends RecordDataAccess {
  /** The staff member's own account, for the event's metadata (who did it). */
  actorAccountId?: string;
  correlationId?: string;
  ip?: string;
}

/**
 * Records one staff reading of a person's data in `data-access-<accountId>` and resolves only once it
 * is stored and in this instance's read models: call it BEFORE giving the answer, and give none when
 * it throws. A store that cannot take the record refuses the reading (DataAccessNotRecorded).
 */
export async function recordDataAccess(
  services: Pick<Services, 'clock' | 'commands' | 'log' | 'projections'>,
  request: DataAccessRequest,
): Promise<void> {
  // Judged before anything is written: a reading the log cannot take is refused as such, not as unrecorded.
  const { events } = dataAccessDecider.decide(
    { type: 'RecordViewing', viewing: request, now: services.clock.now() },
    null,
  );
  const actor: Actor = {
    kind: 'STAFF',
    role: request.role,
    display: request.actor,
    ...(request.actorAccountId ? { accountId: request.actorAccountId } : {}),
  };
  let position: number | null;
  try {
    const outcome = await services.commands.execute(
      dataAccessStream(request.subjectAccountId),
      dataAccessDecider,
      () => ({ events, result: null }),
      {
        actor,
        correlationId: request.correlationId ?? 'data-access',
        ...(request.ip ? { ip: request.ip } : {}),
      },
    );
    position = outcome.position;
  } catch (error) {
    services.log.error({ err: error, what: request.what }, 'data access not recorded: reading refused');
    throw new DataAccessNotRecorded(error);
  }
  await services.projections.waitFor(position);
}
