import type { ApplicantFacts, ApplicationEvent, ApplicationStatus } from './events.js';

/** What the access rules and the state machine need from an application's stream, and nothing more. */
export type ApplicationState =
  | { status: 'NONE' }
  | {
      status: ApplicationStatus;
      applicationId: string;
      serviceId: string;
      institution: string;
      applicant: ApplicantFacts;
      applicantEmail: string | null;
      dueAt: string;
      assigneeAccountId: string | null;
      documentIds: string[];
      rated: boolean;
      overdueRecorded: boolean;
    };

export type ExistingApplication = Exclude<ApplicationState, { status: 'NONE' }>;

export const initialState = (): ApplicationState => ({ status: 'NONE' });

export const DECIDED: ReadonlySet<ApplicationStatus> = new Set(['APPROVED', 'REJECTED']);
export const FINAL: ReadonlySet<ApplicationStatus> = new Set(['APPROVED', 'REJECTED', 'WITHDRAWN']);

export function evolve(state: ApplicationState, event: ApplicationEvent): ApplicationState {
  if (event.type === 'ApplicationSubmitted') {
    const { data } = event;
    return {
      status: 'SUBMITTED',
      applicationId: data.applicationId,
      serviceId: data.serviceId,
      institution: data.institution,
      applicant: data.applicant,
      // Personal data may be forgotten later (crypto-shredding): then there is nobody to tell.
      applicantEmail: data.personal?.applicant?.email ?? null,
      dueAt: data.dueAt,
      assigneeAccountId: null,
      documentIds: [],
      rated: false,
      overdueRecorded: false,
    };
  }
  if (state.status === 'NONE') return state;
  switch (event.type) {
    case 'DocumentAttached':
      return { ...state, documentIds: [...state.documentIds, event.data.documentId] };
    case 'RegistryDataAttached':
      return state;
    case 'ApplicationAssigned':
      return {
        ...state,
        status: state.status === 'SUBMITTED' ? 'IN_REVIEW' : state.status,
        assigneeAccountId: event.data.assigneeAccountId,
      };
    case 'InformationRequested':
      return { ...state, status: 'INFORMATION_REQUESTED' };
    case 'InformationProvided':
      return { ...state, status: 'IN_REVIEW' };
    case 'ApplicationApproved':
      return { ...state, status: 'APPROVED' };
    case 'ApplicationRejected':
      return { ...state, status: 'REJECTED' };
    case 'ApplicationWithdrawn':
      return { ...state, status: 'WITHDRAWN' };
    case 'ApplicationOverdue':
      return { ...state, overdueRecorded: true };
    case 'ServiceRated':
      return { ...state, rated: true };
    case 'StatusEmailDelivered':
    case 'StatusEmailDeliveryFailed':
      return state;
    default: {
      const unknown: never = event;
      return unknown;
    }
  }
}

/** True once nothing more can happen to the application but a rating. */
export const isClosed = (status: ApplicationStatus): boolean => FINAL.has(status);
