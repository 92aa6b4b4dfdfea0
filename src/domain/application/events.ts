import type { Audience } from '../catalogue/services.js';
import type { DomainEvent } from '../shared/events.js';

export type ApplicationStatus =
  | 'SUBMITTED'
  | 'IN_REVIEW'
  | 'INFORMATION_REQUESTED'
  | 'APPROVED'
  | 'REJECTED'
  | 'WITHDRAWN';

/**
 * Who applied. The account id (or, for a foreign national, the keyed hash of the tracking code) is a
 * fact the access rules read; names, personal numbers, passport and e-mail are personal data and sit
 * in the event's `personal` part.
 */
export interface ApplicantFacts {
  kind: Audience;
  accountId: string | null;
  trackingCodeHash: string | null;
}

export interface ApplicantPersonal {
  displayName: string;
  /** NID, NIPT, or the passport number of a foreign national. */
  identifier: string;
  email: string | null;
  nationality: string | null;
}

export interface DocumentRef {
  documentId: string;
  size: number;
  sha256: string;
}

export type ApplicationSubmitted = DomainEvent<
  'ApplicationSubmitted',
  {
    applicationId: string;
    serviceId: string;
    institution: string;
    applicant: ApplicantFacts;
    submittedAt: string;
    dueAt: string;
    personal: { applicant: ApplicantPersonal; formData: unknown };
  }
>;

export type DocumentAttached = DomainEvent<
  'DocumentAttached',
  DocumentRef & { applicationId: string; attachedAt: string; personal: { fileName: string } }
>;

/** A reading of a registry: the digest is a fact, the record and its reference are personal. */
export type RegistryDataAttached = DomainEvent<
  'RegistryDataAttached',
  {
    applicationId: string;
    registry: string;
    digest: string;
    retrievedAt: string;
    personal: { reference: string; data: unknown };
  }
>;

/** `assignee` is what people see ('Caseworker, DPGJC'), never a personal number. */
export type ApplicationAssigned = DomainEvent<
  'ApplicationAssigned',
  { applicationId: string; assigneeAccountId: string; assignee: string; assignedAt: string }
>;

export type InformationRequested = DomainEvent<
  'InformationRequested',
  { applicationId: string; message: string; requestedAt: string }
>;

export type InformationProvided = DomainEvent<
  'InformationProvided',
  { applicationId: string; providedAt: string; personal: { message: string } }
>;

export type ApplicationApproved = DomainEvent<
  'ApplicationApproved',
  { applicationId: string; note: string | null; approvedAt: string }
>;

export type ApplicationRejected = DomainEvent<
  'ApplicationRejected',
  { applicationId: string; reason: string; rejectedAt: string }
>;

export type ApplicationWithdrawn = DomainEvent<
  'ApplicationWithdrawn',
  { applicationId: string; withdrawnAt: string }
>;

export type ApplicationOverdue = DomainEvent<
  'ApplicationOverdue',
  { applicationId: string; dueAt: string; recordedAt: string }
>;

export type ServiceRated = DomainEvent<
  'ServiceRated',
  {
    applicationId: string;
    serviceId: string;
    stars: number;
    ratedAt: string;
    personal: { comment: string | null };
  }
>;

/**
 * The outcome of the e-mail sent at a status change. Neither the address nor the body is kept: the
 * address is personal data already in ApplicationSubmitted (or the account), the body is derivable.
 */
export type StatusEmailDelivered = DomainEvent<
  'StatusEmailDelivered',
  { applicationId: string; status: ApplicationStatus; providerId: string; deliveredAt: string }
>;

export type StatusEmailDeliveryFailed = DomainEvent<
  'StatusEmailDeliveryFailed',
  { applicationId: string; status: ApplicationStatus; error: string; retryable: boolean; failedAt: string }
>;

export type ApplicationEvent =
  | ApplicationSubmitted
  | DocumentAttached
  | RegistryDataAttached
  | ApplicationAssigned
  | InformationRequested
  | InformationProvided
  | ApplicationApproved
  | ApplicationRejected
  | ApplicationWithdrawn
  | ApplicationOverdue
  | ServiceRated
  | StatusEmailDelivered
  | StatusEmailDeliveryFailed;

export const APPLICATION_EVENT_TYPES: ReadonlySet<string> = new Set<ApplicationEvent['type']>([
  'ApplicationSubmitted',
  'DocumentAttached',
  'RegistryDataAttached',
  'ApplicationAssigned',
  'InformationRequested',
  'InformationProvided',
  'ApplicationApproved',
  'ApplicationRejected',
  'ApplicationWithdrawn',
  'ApplicationOverdue',
  'ServiceRated',
  'StatusEmailDelivered',
  'StatusEmailDeliveryFailed',
]);

/** A document joins the application: its facts, and its file name as personal data. */
export function documentAttached(
  applicationId: string,
  d: DocumentRef & { fileName: string },
  at: string,
): ApplicationEvent {
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
