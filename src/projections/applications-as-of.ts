import Database from 'better-sqlite3';
import { applicationModel } from '../domain/application/decide.js';
import { timedApplicationEvent } from '../domain/application/occurred-at.js';
import { foldAsOf } from '../domain/audit/as-of.js';
import { applicationStream } from '../domain/shared/streams.js';
import type { EventStore } from '../infra/eventstore/port.js';
import { type ApplicationView, applicationView } from './application-queries.js';
import { applicationsProjection } from './applications.js';

/**
 * An application as it stood at `asOf`: the audit feature's as-of fold decides which events had
 * happened by then (by each event's own time), and those events go through the very projection that
 * builds the live read model, into a scratch in-memory database. One code path for both answers, so
 * the as-of answer at the latest instant equals the live one. null when it did not exist yet.
 */
export async function applicationViewAsOf(
  store: EventStore,
  applicationId: string,
  asOf: Date,
): Promise<ApplicationView | null> {
  const events = (await store.readStream(applicationStream(applicationId))).map(timedApplicationEvent);
  const { folded } = foldAsOf(events, applicationModel, asOf);
  if (folded === 0) return null;
  const db = new Database(':memory:');
  try {
    const projection = applicationsProjection();
    projection.setup(db);
    db.transaction(() => {
      for (const event of events.slice(0, folded)) projection.apply(event);
    })();
    return applicationView(db, applicationId);
  } finally {
    db.close();
  }
}
