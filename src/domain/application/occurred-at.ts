import type { TimedEvent } from '../audit/as-of.js';

/**
 * When an application event happened, by the time field each event type records (they predate the
 * audit feature's `occurredAt` convention). Never the store's recordedAt: that is the server's wall
 * clock, not the portal clock the events were decided with.
 */
const TIME_FIELD: Record<string, string> = {
  ApplicationSubmitted: 'submittedAt',
  DocumentAttached: 'attachedAt',
  RegistryDataAttached: 'retrievedAt',
  ApplicationAssigned: 'assignedAt',
  InformationRequested: 'requestedAt',
  InformationProvided: 'providedAt',
  ApplicationApproved: 'approvedAt',
  ApplicationRejected: 'rejectedAt',
  ApplicationWithdrawn: 'withdrawnAt',
  ApplicationOverdue: 'recordedAt',
  ServiceRated: 'ratedAt',
  StatusEmailDelivered: 'deliveredAt',
  StatusEmailDeliveryFailed: 'failedAt',
};

/** The event as the as-of fold reads it: `data.occurredAt` filled in from the event's own time. */
export function timedApplicationEvent<T extends TimedEvent>(event: T): T {
  if (typeof event.data.occurredAt === 'string') return event;
  const field = TIME_FIELD[event.type];
  const at = field ? event.data[field] : undefined;
  return typeof at === 'string' ? { ...event, data: { ...event.data, occurredAt: at } } : event;
}
