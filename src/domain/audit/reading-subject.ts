import { GRANTABLE_ROLES, type GrantableRole } from '../account/terms.js';
import type { ApplicationAct } from '../application/commands.js';
import { APPLICATION_ID_SOURCE, DOCUMENT_ID_SOURCE } from '../shared/ids.js';
import type { StreamKind } from '../shared/streams.js';

/**
 * What a staff member read of a person's data: the `what` of PersonalDataViewed, written here and read
 * back here only. The event records English words (DataAccess.what answers them as recorded);
 * readingSubjectOf turns them back into facts a front end words in its own language. Recorded events
 * keep their words forever, so a template whose words change must keep its old words readable here.
 */
export type ReadingSubjectKind = 'APPLICATION' | 'DOCUMENT' | 'ACCOUNT_STATUS' | 'ACCOUNT' | 'AUDIT_HISTORY';

/** Why it was shown, when it was not asked for by itself. */
export type ReadingOccasion = 'CASE_QUEUE' | 'LIVE_UPDATES_STARTED' | 'LIVE_UPDATE' | 'ANSWER_TO_ACTION';

/** The staff action whose answer showed the data (occasion ANSWER_TO_ACTION). */
export type ReadingAction =
  | 'ASSIGN_APPLICATION'
  | 'REQUEST_INFORMATION'
  | 'PROVIDE_INFORMATION'
  | 'APPROVE_APPLICATION'
  | 'REJECT_APPLICATION'
  | 'WITHDRAW_APPLICATION'
  | 'RATE_SERVICE'
  | 'MARK_OVERDUE'
  | 'REGENERATE_PASSWORD'
  | 'UNLOCK_ACCOUNT'
  | 'GRANT_ROLE'
  | 'REVOKE_ROLE';

/** The kind of stream audit entries came from (streams.ts), OTHER for a stream it does not name. */
export type AuditedStreamKind = 'ACCOUNT' | 'APPLICATION' | 'ATTEMPTS' | 'DATA_ACCESS' | 'DOCUMENT' | 'OTHER';

/** A recorded `what` as facts; a fact that does not apply to the kind is null (or empty). */
export interface ReadingSubject {
  kind: ReadingSubjectKind;
  /** APPLICATION: the one read; DOCUMENT: the one it belongs to. */
  applicationId: string | null;
  documentId: string | null;
  /** The past instant the data was shown as of (ISO), for an as-of reading. */
  asOf: string | null;
  occasion: ReadingOccasion | null;
  action: ReadingAction | null;
  /** The role granted or revoked (action GRANT_ROLE, REVOKE_ROLE). */
  role: GrantableRole | null;
  /** AUDIT_HISTORY: which kinds of entries were read; empty for the history as a whole. */
  streamKinds: readonly AuditedStreamKind[];
}

export type HelpdeskAction = 'regeneratePassword' | 'unlockAccount';
export type RoleChange = 'GRANT' | 'REVOKE';

// The words each fact is recorded in, as the writers below write them.
const APPLICATION_ACTIONS = {
  AssignApplication: 'ASSIGN_APPLICATION',
  RequestInformation: 'REQUEST_INFORMATION',
  ProvideInformation: 'PROVIDE_INFORMATION',
  ApproveApplication: 'APPROVE_APPLICATION',
  RejectApplication: 'REJECT_APPLICATION',
  WithdrawApplication: 'WITHDRAW_APPLICATION',
  RateService: 'RATE_SERVICE',
  MarkOverdue: 'MARK_OVERDUE',
} as const satisfies Record<ApplicationAct['type'], ReadingAction>;
const HELPDESK_ACTIONS = {
  regeneratePassword: 'REGENERATE_PASSWORD',
  unlockAccount: 'UNLOCK_ACCOUNT',
} as const satisfies Record<HelpdeskAction, ReadingAction>;
const ROLE_CHANGE_WORDS = { GRANT: 'granting', REVOKE: 'revoking' } as const satisfies Record<
  RoleChange,
  string
>;
const ROLE_CHANGE_ACTIONS = { granting: 'GRANT_ROLE', revoking: 'REVOKE_ROLE' } as const;
const STREAM_KINDS_READ = {
  account: 'ACCOUNT',
  application: 'APPLICATION',
  attempts: 'ATTEMPTS',
  'data-access': 'DATA_ACCESS',
  document: 'DOCUMENT',
  other: 'OTHER',
} as const satisfies Record<StreamKind | 'other', AuditedStreamKind>;

/**
 * The only writers of `what`: every place that records a staff reading calls one of these. Each has
 * its reader in READERS below; the unit test writes every one and reads it back.
 */
export const readingText = {
  /** An application asked for by id, as it is now or as it stood at `asOf`. */
  application: (applicationId: string, asOf: Date | null = null): string =>
    asOf ? `Application ${applicationId} as of ${asOf.toISOString()}` : `Application ${applicationId}`,
  /** An application listed in a caseworker's queue. */
  applicationInCaseQueue: (applicationId: string): string => `Application ${applicationId} (case queue)`,
  /** An application's live updates subscribed to (one reading when the subscription starts). */
  applicationFollowedLive: (applicationId: string): string => `Application ${applicationId} (live updates)`,
  /** One live update of an application pushed. */
  applicationLiveUpdate: (applicationId: string): string => `Application ${applicationId} (live update)`,
  /** An application given as the answer to an action on it. */
  applicationAnswering: (applicationId: string, action: ApplicationAct['type']): string =>
    `Application ${applicationId} (answer to ${action})`,
  /** A document downloaded, by id: its file name is the applicant's own text, kept out. */
  document: (documentId: string, applicationId: string): string =>
    `Document ${documentId} of application ${applicationId}`,
  /** An account's status, as it is now or as it stood at `asOf`. */
  accountStatus: (asOf: Date | null = null): string =>
    asOf ? `Account status as of ${asOf.toISOString()}` : 'Account status',
  /** An account's status given as the answer to a helpdesk action. */
  accountStatusAnswering: (action: HelpdeskAction): string => `Account status after ${action}`,
  /** An account given as the answer to granting or revoking a role. */
  accountAnsweringRoleChange: (change: RoleChange, role: GrantableRole): string =>
    `Account (answer to ${ROLE_CHANGE_WORDS[change]} the role ${role})`,
  /** Audit entries: of these kinds of stream, or (none) the person's history as a whole. */
  auditHistory: (streamKinds: Iterable<StreamKind | 'other'>): string => {
    const kinds = [...new Set(streamKinds)].sort();
    return kinds.length === 0 ? 'Audit history' : `Audit history (${kinds.join(', ')} events)`;
  },
};

const APPLICATION_ID = `(${APPLICATION_ID_SOURCE})`;
const DOCUMENT_ID = `(${DOCUMENT_ID_SOURCE})`;
const INSTANT = '((?:[+-]\\d{6}|\\d{4})-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{3}Z)';

const facts = (kind: ReadingSubjectKind, known: Partial<Omit<ReadingSubject, 'kind'>>): ReadingSubject => ({
  kind,
  applicationId: null,
  documentId: null,
  asOf: null,
  occasion: null,
  action: null,
  role: null,
  streamKinds: [],
  ...known,
});

/** An instant exactly as toISOString writes it, or undefined. */
const instant = (text: string | undefined): string | undefined =>
  text !== undefined && !Number.isNaN(Date.parse(text)) && new Date(text).toISOString() === text
    ? text
    : undefined;

const known = <T extends object>(table: T, key: string | undefined): T[keyof T] | undefined =>
  key !== undefined && Object.hasOwn(table, key) ? table[key as keyof T] : undefined;

type Reader = [RegExp, (parts: Array<string | undefined>) => ReadingSubject | null];

// One reader per template above (two for the writers with an `asOf`), ids as the portal makes them.
const READERS: Reader[] = [
  [new RegExp(`^Application ${APPLICATION_ID}$`), ([id]) => facts('APPLICATION', { applicationId: id })],
  [
    new RegExp(`^Application ${APPLICATION_ID} as of ${INSTANT}$`),
    ([id, at]) => {
      const asOf = instant(at);
      return asOf ? facts('APPLICATION', { applicationId: id, asOf }) : null;
    },
  ],
  [
    new RegExp(`^Application ${APPLICATION_ID} \\(case queue\\)$`),
    ([id]) => facts('APPLICATION', { applicationId: id, occasion: 'CASE_QUEUE' }),
  ],
  [
    new RegExp(`^Application ${APPLICATION_ID} \\(live updates\\)$`),
    ([id]) => facts('APPLICATION', { applicationId: id, occasion: 'LIVE_UPDATES_STARTED' }),
  ],
  [
    new RegExp(`^Application ${APPLICATION_ID} \\(live update\\)$`),
    ([id]) => facts('APPLICATION', { applicationId: id, occasion: 'LIVE_UPDATE' }),
  ],
  [
    new RegExp(`^Application ${APPLICATION_ID} \\(answer to (\\w+)\\)$`),
    ([id, type]) => {
      const action = known(APPLICATION_ACTIONS, type);
      return action
        ? facts('APPLICATION', { applicationId: id, occasion: 'ANSWER_TO_ACTION', action })
        : null;
    },
  ],
  [
    new RegExp(`^Document ${DOCUMENT_ID} of application ${APPLICATION_ID}$`),
    ([documentId, applicationId]) => facts('DOCUMENT', { documentId, applicationId }),
  ],
  [/^Account status$/, () => facts('ACCOUNT_STATUS', {})],
  [
    new RegExp(`^Account status as of ${INSTANT}$`),
    ([at]) => {
      const asOf = instant(at);
      return asOf ? facts('ACCOUNT_STATUS', { asOf }) : null;
    },
  ],
  [
    /^Account status after (\w+)$/,
    ([name]) => {
      const action = known(HELPDESK_ACTIONS, name);
      return action ? facts('ACCOUNT_STATUS', { occasion: 'ANSWER_TO_ACTION', action }) : null;
    },
  ],
  [
    /^Account \(answer to (granting|revoking) the role (\w+)\)$/,
    ([change, name]) => {
      const action = known(ROLE_CHANGE_ACTIONS, change);
      const role = GRANTABLE_ROLES.find((r) => r === name);
      return action && role ? facts('ACCOUNT', { occasion: 'ANSWER_TO_ACTION', action, role }) : null;
    },
  ],
  [/^Audit history$/, () => facts('AUDIT_HISTORY', {})],
  [
    /^Audit history \(([a-z, -]+) events\)$/,
    ([list]) => {
      const kinds = (list ?? '').split(', ').map((kind) => known(STREAM_KINDS_READ, kind));
      return kinds.every((kind): kind is AuditedStreamKind => kind !== undefined)
        ? facts('AUDIT_HISTORY', { streamKinds: kinds })
        : null;
    },
  ],
];

/**
 * The facts of a recorded `what`, or null for words no writer above writes (an older wording, such
 * as a document named by its file name): a front end then shows the words as they are.
 */
export function readingSubjectOf(what: string): ReadingSubject | null {
  for (const [pattern, read] of READERS) {
    const match = pattern.exec(what);
    if (match) return read(match.slice(1));
  }
  return null;
}
