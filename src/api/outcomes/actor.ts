import type { Role } from '../../app/viewer.js';
import type { ApplicationActor } from '../../projections/application-queries.js';

/**
 * The schema's ActorKind for who acted on an application, as its events record them: an account
 * holder acting as applicant (PERSON), a foreign national by tracking code (ANONYMOUS), a caseworker
 * (STAFF), or a scheduled job (SYSTEM).
 */
const KIND_OUT = {
  PERSON: 'APPLICANT',
  ANONYMOUS: 'FOREIGN_APPLICANT',
  STAFF: 'STAFF',
  SYSTEM: 'SYSTEM',
} as const satisfies Record<ApplicationActor['kind'], string>;

const ROLES: ReadonlySet<string> = new Set<Role>([
  'CITIZEN',
  'BUSINESS',
  'CASEWORKER',
  'HELPDESK',
  'AUDITOR',
  'ADMIN',
]);

/** An Actor of the schema; a role the Role enum does not know is left out rather than failing the answer. */
export function actorOut(actor: ApplicationActor | null) {
  if (!actor) return null;
  return {
    kind: KIND_OUT[actor.kind],
    role: actor.role !== null && ROLES.has(actor.role) ? actor.role : null,
    institution: actor.institution,
  };
}
