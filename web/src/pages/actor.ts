import type { ActorFieldsFragment, Role } from '../generated/operations';
import { type Key, t } from '../i18n/i18n';

export const ROLE_KEYS: Record<Role, Key> = {
  CITIZEN: 'role.CITIZEN',
  BUSINESS: 'role.BUSINESS',
  CASEWORKER: 'role.CASEWORKER',
  HELPDESK: 'role.HELPDESK',
  AUDITOR: 'role.AUDITOR',
  ADMIN: 'role.ADMIN',
};

/**
 * Who acted on an application, in the chosen language, worded from the facts the API gives (part,
 * role, institution). The API's own words are English (as its events record them), so they are
 * shown only for a step whose facts are missing.
 */
export function actorText(actor: ActorFieldsFragment | null, english: string | null): string | null {
  if (!actor) return english;
  switch (actor.kind) {
    case 'APPLICANT':
      return t('actor.applicant');
    case 'FOREIGN_APPLICANT':
      return t('actor.foreignApplicant');
    case 'STAFF': {
      const role = t(ROLE_KEYS[actor.role ?? 'CASEWORKER']);
      return actor.institution ? t('actor.staff', { role, institution: actor.institution }) : role;
    }
    case 'SYSTEM':
      return t('actor.system');
  }
}
