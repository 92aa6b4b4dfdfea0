import type { Audience, CatalogueService } from '../catalogue/services.js';
import type { Accessor } from './access.js';
import type { ApplicantPersonal } from './events.js';

/** What may be done to an existing application, by whom is in the ACTS table (acts.ts). */
export type ApplicationAct =
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

export interface RegistryReading {
  registry: string;
  reference: string;
  digest: string;
  retrievedAt: string;
  data: unknown;
}

export interface SubmitApplication {
  type: 'SubmitApplication';
  applicationId: string;
  service: CatalogueService | undefined;
  applicant: {
    kind: Audience;
    accountId: string | null;
    trackingCodeHash: string | null;
    personal: ApplicantPersonal;
  };
  /** The documents named by the caller, in order, each judged by attachVerdict in the handler. */
  documents: Array<{
    documentId: string;
    verdict: 'OK' | 'UNKNOWN_DOCUMENT' | 'DOCUMENT_ALREADY_ATTACHED';
    document?: AttachableDocument;
  }>;
  registryReadings: RegistryReading[];
  formData: unknown;
  now: Date;
}

/**
 * The application stream's commands: a submission, or an act by someone (the system for jobs), with
 * time passed in.
 */
export type ApplicationCommand =
  | SubmitApplication
  | (ApplicationAct & { by: Accessor | 'SYSTEM'; now: Date });
