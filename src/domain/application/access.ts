import type { ExistingApplication } from './state.js';

/**
 * Whoever asks, as the access rules see them: who it is, its roles, and a tracking code it presented
 * (as the keyed hash; the rules never see the code itself).
 */
export interface Accessor {
  accountId: string | null;
  roles: readonly string[];
  institution: string | null;
  trackingCodeHash: string | null;
}

export const anonymousAccessor = (trackingCodeHash: string | null = null): Accessor => ({
  accountId: null,
  roles: [],
  institution: null,
  trackingCodeHash,
});

/** How an accessor stands to one application. A person can be more than one (a caseworker applying). */
export interface Standing {
  applicant: boolean;
  /** A caseworker of the institution that handles the application's service. */
  staff: boolean;
  assignee: boolean;
  auditor: boolean;
}

export function standingOf(application: ExistingApplication, accessor: Accessor): Standing {
  const { applicant } = application;
  const isApplicant =
    (applicant.accountId !== null && accessor.accountId === applicant.accountId) ||
    (applicant.trackingCodeHash !== null && accessor.trackingCodeHash === applicant.trackingCodeHash);
  const staff =
    accessor.accountId !== null &&
    accessor.roles.includes('CASEWORKER') &&
    accessor.institution === application.institution;
  return {
    applicant: isApplicant,
    staff,
    assignee: staff && application.assigneeAccountId === accessor.accountId,
    auditor: accessor.accountId !== null && accessor.roles.includes('AUDITOR'),
  };
}

/** Who may see an application: its applicant, its institution's caseworkers, auditors. Nobody else. */
export const maySee = (standing: Standing): boolean =>
  standing.applicant || standing.staff || standing.auditor;
