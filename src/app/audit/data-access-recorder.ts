import { type RecordDataAccess, recordViewing } from '../../domain/audit/data-access.js';
import type { StreamModel } from '../../domain/shared/decider.js';
import type { Actor, DomainEvent } from '../../domain/shared/events.js';
import { dataAccessStream } from '../../domain/shared/streams.js';
import type { Services } from '../services.js';

/** Nothing is decided from a data-access stream; it is only appended to. */
const appendOnly: StreamModel<null, DomainEvent> = {
  name: 'data-access-append-only',
  initialState: () => null,
  evolve: (state) => state,
};

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
  const event = recordViewing(request, services.clock.now());
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
      appendOnly,
      () => ({ events: [event], result: null }),
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
