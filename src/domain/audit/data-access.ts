import type { Decider } from '../shared/decider.js';
import type { DomainEvent } from '../shared/events.js';

/** Staff roles whose readings of one person's data are recorded in that person's data-access log. */
export type StaffRole = 'CASEWORKER' | 'HELPDESK' | 'AUDITOR' | 'ADMIN';

/** Why a role reads a person's data when the query gives no purpose of its own. */
export function standingPurpose(role: StaffRole): string {
  switch (role) {
    case 'CASEWORKER':
      return 'Handling an application';
    case 'HELPDESK':
      return 'Helping the person with their account';
    case 'AUDITOR':
      return 'Audit of the portal';
    case 'ADMIN':
      return 'Administration of the portal';
    default: {
      const unknownRole: never = role;
      throw new Error(`no standing purpose for ${String(unknownRole)}`);
    }
  }
}

const STAFF_ROLES: ReadonlySet<string> = new Set<StaffRole>(['CASEWORKER', 'HELPDESK', 'AUDITOR', 'ADMIN']);

/**
 * Whether a recorded purpose is its role's standing one, i.e. the reader gave none: front ends then
 * word it in their own language. Judged from the text, as events record only the text (and readings
 * recorded before this question was asked must answer too); a standing purpose whose words change
 * must keep its old words here.
 */
export function isStandingPurpose(role: string, purpose: string): boolean {
  return STAFF_ROLES.has(role) && purpose === standingPurpose(role as StaffRole);
}

export interface RecordDataAccess {
  subjectAccountId: string;
  /** How the reader is shown to the person: 'Helpdesk, Arben Hoxha' or 'Caseworker, DPGJC'. */
  actor: string;
  role: StaffRole;
  /** The query's `purpose` argument, or null for the role's standing purpose. */
  purpose: string | null;
  /** What was read, in the words of a writer of reading-subject.ts: 'Account status', 'Application 3f2a…'. */
  what: string;
}

export type PersonalDataViewed = DomainEvent<
  'PersonalDataViewed',
  {
    accountId: string;
    actor: string;
    role: StaffRole;
    purpose: string;
    what: string;
    occurredAt: string;
  }
>;

export class DataAccessRefused extends Error {
  readonly code = 'BAD_PURPOSE';
  constructor(message: string) {
    super(message);
    this.name = 'DataAccessRefused';
  }
}

const MAX_TEXT = 500;

/** The event that records one reading; refuses a purpose the person could not read. */
export function recordViewing(command: RecordDataAccess, now: Date): PersonalDataViewed {
  const purpose = (command.purpose ?? '').trim() || standingPurpose(command.role);
  if (purpose.length > MAX_TEXT) throw new DataAccessRefused(`purpose is longer than ${MAX_TEXT} characters`);
  if (!command.actor.trim()) throw new DataAccessRefused('the reader has no name to show');
  return {
    type: 'PersonalDataViewed',
    data: {
      accountId: command.subjectAccountId,
      actor: command.actor.trim(),
      role: command.role,
      purpose,
      what: command.what,
      occurredAt: now.toISOString(),
    },
  };
}

export type DataAccessCommand = { type: 'RecordViewing'; viewing: RecordDataAccess; now: Date };

/**
 * A person's data-access log only ever grows: every reading is appended, whatever came before, so the
 * fold keeps nothing. decide throws DataAccessRefused for a reading the log cannot take.
 */
export const dataAccessDecider: Decider<DataAccessCommand, null, PersonalDataViewed, null> = {
  name: 'data-access-append-only',
  initialState: () => null,
  evolve: (state) => state,
  decide: (command) => ({ events: [recordViewing(command.viewing, command.now)], outcome: null }),
};
