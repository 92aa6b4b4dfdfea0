import { maySee, standingOf } from './access.js';
import type { ApplicationAct, ApplicationCommand } from './commands.js';
import { type ApplicationEvent, type ApplicationStatus, documentAttached } from './events.js';
import { type ApplicationDecision, accepted, type Refusal, refused } from './outcomes.js';
import { type ApplicationState, DECIDED, type ExistingApplication } from './state.js';

type Act = Exclude<ApplicationCommand, { type: 'SubmitApplication' }>;

const notAllowedInStatus: Refusal = { kind: 'REFUSED', field: 'status', code: 'NOT_ALLOWED_IN_STATUS' };

/** Who may act, by command: the one table of the rules (besides seeing, in access.ts). */
type Party = 'APPLICANT' | 'STAFF' | 'ASSIGNEE' | 'SYSTEM';
const ACTS: Record<ApplicationAct['type'], { by: Party; from: ReadonlySet<ApplicationStatus> }> = {
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

export const rulesFor = (act: ApplicationAct['type']) => ACTS[act];

/**
 * The state machine and the who-may-do-what rules, pure: the caller comes in as its standing (who it
 * is to this application), time as `now`. Order matters: what the caller may not see is NOT_FOUND
 * before anything else, so refusals never reveal an application to a stranger.
 */
export function decideAct(state: ApplicationState, command: Act): ApplicationDecision {
  if (state.status === 'NONE') return refused({ kind: 'NOT_FOUND' });
  const rule = ACTS[command.type];
  if (command.by === 'SYSTEM') {
    if (rule.by !== 'SYSTEM') return refused({ kind: 'FORBIDDEN' });
  } else {
    const standing = standingOf(state, command.by);
    if (!maySee(standing)) return refused({ kind: 'NOT_FOUND' });
    const allowed =
      rule.by === 'APPLICANT'
        ? standing.applicant
        : rule.by === 'STAFF'
          ? standing.staff && !standing.applicant
          : rule.by === 'ASSIGNEE'
            ? standing.assignee && !standing.applicant
            : false;
    if (!allowed) return refused({ kind: 'FORBIDDEN' });
  }
  if (!rule.from.has(state.status)) return refused(notAllowedInStatus);
  return accept(state, command);
}

function accept(state: ExistingApplication, command: Act): ApplicationDecision {
  const { by, now } = command;
  const at = now.toISOString();
  const applicationId = state.applicationId;
  switch (command.type) {
    case 'AssignApplication': {
      const accountId = by === 'SYSTEM' ? null : by.accountId;
      // Taking a case one already holds changes nothing.
      if (accountId === null || state.assigneeAccountId === accountId) return accepted([]);
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
      return accepted([
        ...command.documents.map((d) => documentAttached(applicationId, d, at)),
        {
          type: 'InformationProvided',
          data: { applicationId, providedAt: at, personal: { message: command.message } },
        },
      ]);
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
      if (state.rated) return refused({ kind: 'REFUSED', field: 'applicationId', code: 'ALREADY_RATED' });
      if (!Number.isInteger(command.stars) || command.stars < 1 || command.stars > 5)
        return refused({ kind: 'REFUSED', field: 'stars', code: 'OUT_OF_RANGE' });
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
      if (state.overdueRecorded || Date.parse(state.dueAt) >= now.getTime()) return accepted([]);
      return event({
        type: 'ApplicationOverdue',
        data: { applicationId, dueAt: state.dueAt, recordedAt: at },
      });
    default: {
      const unknown: never = command;
      throw new Error(`unknown act ${JSON.stringify(unknown)}`);
    }
  }
}

const event = (e: ApplicationEvent): ApplicationDecision => accepted([e]);
