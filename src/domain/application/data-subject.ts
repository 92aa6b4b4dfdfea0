import type { StaffRole } from '../audit/data-access.js';
import { applicationStream } from '../shared/streams.js';
import type { Standing } from './access.js';
import type { ExistingApplication } from './state.js';

/**
 * In whose data-access log a staff reading of this application is recorded. A person with an account
 * (a citizen, or a business applying as itself) has it under the account id, and sees it in
 * myDataAccess. A foreign national has no account, so the reading goes to a log keyed by the
 * application instead (`data-access-application-<id>`; account ids are hex, so the two never meet):
 * the record still exists before the answer is given and is refused the same way when it cannot be
 * written, auditors find it in the log, and it can be handed to the person on request. They cannot
 * read it through myDataAccess, which needs a signed-in account.
 */
export function dataSubjectOf(application: ExistingApplication): string {
  return application.applicant.accountId ?? applicationStream(application.applicationId);
}

/**
 * The role a reading is recorded under, or null when it is not a staff reading: applicants reading
 * their own application are not recorded (even when they are caseworkers too). The helpdesk cannot
 * read applications at all (access.ts), so it never gets here.
 */
export function staffReaderRole(standing: Standing): Extract<StaffRole, 'CASEWORKER' | 'AUDITOR'> | null {
  if (standing.applicant) return null;
  if (standing.staff) return 'CASEWORKER';
  if (standing.auditor) return 'AUDITOR';
  return null;
}
