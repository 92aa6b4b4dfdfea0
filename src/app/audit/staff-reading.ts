import { type Accessor, standingOf } from '../../domain/application/access.js';
import { dataSubjectOf, staffReaderRole } from '../../domain/application/data-subject.js';
import type { ExistingApplication } from '../../domain/application/state.js';
import { DataAccessRefused, type StaffRole } from '../../domain/audit/data-access.js';
import { UseCaseError } from '../errors.js';
import type { Services } from '../services.js';
import type { Viewer } from '../viewer.js';
import { DataAccessNotRecorded, recordDataAccess } from './data-access-recorder.js';

/** Where a reading was asked from: the request's correlation id and address, when there is a request. */
export interface ReadingOrigin {
  correlationId?: string;
  ip?: string;
}

export interface Reading {
  subjectAccountId: string;
  purpose: string | null | undefined;
  what: string;
}

/**
 * The one rule for staff readings: a staff member's reading of a person's data is recorded in that
 * person's data-access log BEFORE the answer is given, and a reading that cannot be recorded is
 * refused (UNAVAILABLE; a purpose the log cannot take is a bad input). Every edge that answers staff
 * with personal data (GraphQL resolvers, the document download, subscriptions) calls this first.
 */
export async function recordStaffReading(
  services: Pick<Services, 'clock' | 'commands' | 'log' | 'projections'>,
  origin: ReadingOrigin,
  viewer: Viewer,
  role: StaffRole,
  reading: Reading,
): Promise<void> {
  try {
    await recordDataAccess(services, {
      subjectAccountId: reading.subjectAccountId,
      actor: viewer.displayName,
      actorAccountId: viewer.accountId,
      role,
      purpose: reading.purpose ?? null,
      what: reading.what,
      ...(origin.correlationId ? { correlationId: origin.correlationId } : {}),
      ...(origin.ip ? { ip: origin.ip } : {}),
    });
  } catch (error) {
    if (error instanceof DataAccessRefused)
      throw new UseCaseError('BAD_USER_INPUT', error.message, { field: 'purpose' });
    if (error instanceof DataAccessNotRecorded) throw new UseCaseError('UNAVAILABLE', error.message);
    throw error;
  }
}

/**
 * A reading of an application: recorded in its applicant's log (data-subject.ts says whose, and that
 * applicants reading their own application are not recorded) when the reader is staff to it.
 */
export async function recordApplicationReading(
  services: Pick<Services, 'clock' | 'commands' | 'log' | 'projections'>,
  origin: ReadingOrigin,
  viewer: Viewer | null,
  accessor: Accessor,
  application: ExistingApplication,
  reading: Omit<Reading, 'subjectAccountId'>,
): Promise<void> {
  if (!viewer) return;
  const role = staffReaderRole(standingOf(application, accessor));
  if (!role) return;
  await recordStaffReading(services, origin, viewer, role, {
    subjectAccountId: dataSubjectOf(application),
    ...reading,
  });
}
