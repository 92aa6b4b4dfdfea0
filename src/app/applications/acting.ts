import type { Actor } from '../../domain/shared/events.js';
import type { Viewer } from '../viewer.js';

/** What applicants and auditors see of a staff member: role and institution, never a personal number. */
export const staffDisplay = (viewer: Viewer) => `Caseworker, ${viewer.institution ?? ''}`.trim();

/** How events record who acted: role and institution, never a personal number. */
export function actorFor(viewer: Viewer | null, as: 'APPLICANT' | 'STAFF'): Actor {
  if (!viewer) return { kind: 'ANONYMOUS', display: 'Applicant (foreign national)' };
  if (as === 'STAFF')
    return {
      kind: 'STAFF',
      accountId: viewer.accountId,
      role: 'CASEWORKER',
      display: `Caseworker, ${viewer.institution ?? ''}`,
    };
  return { kind: 'PERSON', accountId: viewer.accountId, role: viewer.kind, display: 'Applicant' };
}
