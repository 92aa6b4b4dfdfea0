import { UNATTACHED_TTL_MS } from '../../domain/document/decide.js';
import { systemActor } from '../../domain/shared/events.js';
import { overdueCandidates, unattachedUploads } from '../../projections/application-queries.js';
import { actOnApplication } from '../applications/actions.js';
import { purgeIfUnattached } from '../applications/documents.js';
import type { Services } from '../services.js';
import type { JobScheduler } from './scheduler.js';

/**
 * Records ApplicationOverdue once per application past its dueAt. The read model only proposes
 * candidates; the decision (still open, past due, not yet recorded) is taken from each stream.
 */
export async function markOverdueApplications(
  services: Pick<Services, 'clock' | 'commands' | 'log' | 'projections' | 'readDb' | 'senders' | 'store'>,
): Promise<number> {
  let recorded = 0;
  for (const id of overdueCandidates(services.readDb, services.clock.now())) {
    const outcome = await actOnApplication(services, id, { type: 'MarkOverdue' }, 'SYSTEM', {
      actor: systemActor('deadlines'),
      correlationId: `overdue-${id}`,
    });
    if (outcome.kind === 'ACCEPTED' && outcome.position !== null) recorded++;
  }
  return recorded;
}

/** Deletes uploads (anyone's) that no application holds a day on; each decided from its streams. */
export async function purgeUnattachedUploads(
  services: Pick<Services, 'blobs' | 'clock' | 'commands' | 'readDb'>,
): Promise<number> {
  const before = new Date(services.clock.now().getTime() - UNATTACHED_TTL_MS);
  let purged = 0;
  for (const id of unattachedUploads(services.readDb, before))
    if (await purgeIfUnattached(services, id)) purged++;
  return purged;
}

export function registerApplicationJobs(
  jobs: JobScheduler,
  services: Pick<
    Services,
    'blobs' | 'clock' | 'commands' | 'log' | 'projections' | 'readDb' | 'senders' | 'store'
  >,
): void {
  jobs.register({
    name: 'applications-overdue',
    schedule: '*/5 * * * *',
    run: () => markOverdueApplications(services),
  });
  jobs.register({
    name: 'uploads-purge',
    schedule: '17 * * * *',
    run: () => purgeUnattachedUploads(services),
  });
}
