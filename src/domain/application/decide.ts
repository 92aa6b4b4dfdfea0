import type { Caller } from './access.js';
import { maySee, standingOf } from './access.js';
import type { ApplicationEvent, ApplicationStatus } from './events.js';
import { type ApplicationState, DECIDED, type ExistingApplication, FINAL } from './state.js';

/** Commands on an existing application; submission has its own decider (submit.ts). */
export type ApplicationCommand =
  | { type: 'AssignApplication'; assigneeDisplay: string }
  | { type: 'RequestInformation'; message: string }
  | { type: 'ProvideInformation'; message: string; documents: AttachableDocument[] }
  | { type: 'ApproveApplication'; note: string | null }
  | { type: 'RejectApplication'; reason: string }
  | { type: 'WithdrawApplication' }
  | { type: 'RateService'; stars: number; comment: string | null }
  | { type: 'MarkOverdue' };

/** A document the handler found in its stream and judged attachable (see attachVerdict). */
export interface AttachableDocument {
  documentId: string;
  fileName: string;
  size: number;
  sha256: string;
}

export type Refusal =
  /** The caller may not see the application: it answers as if it did not exist. */
  | { kind: 'NOT_FOUND' }
  /** The caller may see it, but its role may not do this. */
  | { kind: 'FORBIDDEN' }
  | { kind: 'REFUSED'; field: string; code: string };

export type ApplicationDecision = { kind: 'ACCEPTED'; events: ApplicationEvent[] } | Refusal;

const notAllowedInStatus: Refusal = { kind: 'REFUSED', field: 'status', code: 'NOT_ALLOWED_IN_STATUS' };

/** Who may act, by command: the one table of the rules (besides seeing, in access.ts). */
type Actor = 'APPLICANT' | 'STAFF' | 'ASSIGNEE' | 'SYSTEM';
const ACTS: Record<ApplicationCommand['type'], { by: Actor; from: ReadonlySet<ApplicationStatus> }> = {
  AssignApplication: { by: 'STAFF', from: new Set(['SUBMITTED', 'IN_REVIEW', 'INFORMATION_REQUESTED']) },
  RequestInformation: { by: 'ASSIGNEE', from: new Set(['IN_REVIEW']) },
  ProvideInformation: { by: 'APPLICANT', from: new Set(['INFORMATION_REQUESTED']) },
  ApproveApplication: { by: 'ASSIGNEE', from: new Set(['IN_REVIEW']) },
  RejectApplication: { by: 'ASSIGNEE', from: new Set(['IN_REVIEW', 'INFORMATION_REQUESTED']) },
  WithdrawApplication: {
    by: 'APPLICANT',
    from: new Set(['SUBMITTED', 'IN_REVIEW', 'INFORMATION_REQUESTED']),
  },
  RateService: { by: 'APPLICANT', from: DECIDED },
  MarkOverdue: { by: 'SYSTEM', from: new Set(['SUBMITTED', 'IN_REVIEW', 'INFORMATION_REQUESTED']) },
};

export const rulesFor = (command: ApplicationCommand['type']) => ACTS[command];

/**
 * The state machine and the who-may-do-what rules, pure: the caller comes in as its standing (who it
 * is to this application), time as `now`. Order matters: what the caller may not see is NOT_FOUND
 * before anything else, so refusals never reveal an application to a stranger.
 */
export function decide(
  state: ApplicationState,
  command: ApplicationCommand,
  caller: Caller | 'SYSTEM',
  now: Date,
): ApplicationDecision {
  if (state.status === 'NONE') return { kind: 'NOT_FOUND' };
  const rule = ACTS[command.type];
  if (caller === 'SYSTEM') {
    if (rule.by !== 'SYSTEM') return { kind: 'FORBIDDEN' };
  } else {
    const standing = standingOf(state, caller);
    if (!maySee(standing)) return { kind: 'NOT_FOUND' };
    const allowed =
      rule.by === 'APPLICANT'
        ? standing.applicant
        : rule.by === 'STAFF'
          ? standing.staff && !standing.applicant
          : rule.by === 'ASSIGNEE'
            ? standing.assignee && !standing.applicant
            : false;
    if (!allowed) return { kind: 'FORBIDDEN' };
  }
  if (!rule.from.has(state.status)) return notAllowedInStatus;
  return accept(state, command, caller, now);
}

function accept(
  state: ExistingApplication,
  command: ApplicationCommand,
  caller: Caller | 'SYSTEM',
  now: Date,
): ApplicationDecision {
  const at = now.toISOString();
  const applicationId = state.applicationId;
  switch (command.type) {
    case 'AssignApplication': {
      const accountId = caller === 'SYSTEM' ? null : caller.accountId;
      // Taking a case one already holds changes nothing.
      if (accountId === null || state.assigneeAccountId === accountId)
        return { kind: 'ACCEPTED', events: [] };
      return event({
        type: 'ApplicationAssigned',
        data: {
          applicationId,
          assigneeAccountId: accountId,
          assignee: command.assigneeDisplay,
          assignedAt: at,
        },
      });
    }
    case 'RequestInformation':
      return event({
        type: 'InformationRequested',
        data: { applicationId, message: command.message, requestedAt: at },
      });
    case 'ProvideInformation':
      return {
        kind: 'ACCEPTED',
        events: [
          ...command.documents.map((d) => documentAttached(applicationId, d, at)),
          {
            type: 'InformationProvided',
            data: { applicationId, providedAt: at, personal: { message: command.message } },
          },
        ],
      };
    case 'ApproveApplication':
      return event({
        type: 'ApplicationApproved',
        data: { applicationId, note: command.note, approvedAt: at },
      });
    case 'RejectApplication':
      return event({
        type: 'ApplicationRejected',
        data: { applicationId, reason: command.reason, rejectedAt: at },
      });
    case 'WithdrawApplication':
      return event({ type: 'ApplicationWithdrawn', data: { applicationId, withdrawnAt: at } });
    case 'RateService':
      if (state.rated) return { kind: 'REFUSED', field: 'applicationId', code: 'ALREADY_RATED' };
      if (!Number.isInteger(command.stars) || command.stars < 1 || command.stars > 5)
        return { kind: 'REFUSED', field: 'stars', code: 'OUT_OF_RANGE' };
      return event({
        type: 'ServiceRated',
        data: {
          applicationId,
          serviceId: state.serviceId,
          stars: command.stars,
          ratedAt: at,
          personal: { comment: command.comment },
        },
      });
    case 'MarkOverdue':
      if (state.overdueRecorded || Date.parse(state.dueAt) >= now.getTime())
        return { kind: 'ACCEPTED', events: [] };
      return event({
        type: 'ApplicationOverdue',
        data: { applicationId, dueAt: state.dueAt, recordedAt: at },
      });
    default: {
      const unknown: never = command;
      return unknown;
    }
  }
}

const event = (e: ApplicationEvent): ApplicationDecision => ({ kind: 'ACCEPTED', events: [e] });

export function documentAttached(applicationId: string, d: AttachableDocument, at: string): ApplicationEvent {
  return {
    type: 'DocumentAttached',
    data: {
      applicationId,
      documentId: d.documentId,
      size: d.size,
      sha256: d.sha256,
      attachedAt: at,
      personal: { fileName: d.fileName },
    },
  };
}

/** True once nothing more can happen to the application but a rating. */
export const isClosed = (status: ApplicationStatus) => FINAL.has(status);
