import type { ExistingApplication } from './state.js';

/**
 * The caller as the access rules see it: who it is, its roles, and a tracking code it presented
 * (as the keyed hash; the rules never see the code itself).
 */
export interface Caller {
  accountId: string | null;
  roles: readonly string[];
  institution: string | null;
  trackingCodeHash: string | null;
}

export const anonymousCaller = (trackingCodeHash: string | null = null): Caller => ({
  accountId: null,
  roles: [],
  institution: null,
  trackingCodeHash,
});

/** How a caller stands to one application. A person can be more than one (a caseworker applying). */
export interface Standing {
  applicant: boolean;
  /** A caseworker of the institution that handles the application's service. */
  staff: boolean;
  assignee: boolean;
  auditor: boolean;
}

export function standingOf(application: ExistingApplication, caller: Caller): Standing {
  const { applicant } = application;
  const isApplicant =
    (applicant.accountId !== null && caller.accountId === applicant.accountId) ||
    (applicant.trackingCodeHash !== null && caller.trackingCodeHash === applicant.trackingCodeHash);
  const staff =
    caller.accountId !== null &&
    caller.roles.includes('CASEWORKER') &&
    caller.institution === application.institution;
  return {
    applicant: isApplicant,
    staff,
    assignee: staff && application.assigneeAccountId === caller.accountId,
    auditor: caller.accountId !== null && caller.roles.includes('AUDITOR'),
  };
}

/** Who may see an application: its applicant, its institution's caseworkers, auditors. Nobody else. */
export const maySee = (standing: Standing): boolean =>
  standing.applicant || standing.staff || standing.auditor;
