import type { GrantableRole } from '../../domain/account/events.js';
import { ROLES_AN_ADMIN_GRANTS } from '../../domain/account/roles.js';
import { readingText } from '../../domain/audit/reading-subject.js';
import { normaliseIdentifier } from '../../domain/identity/identifiers.js';
import { accountStream } from '../../domain/shared/streams.js';
import { type ReadingOrigin, recordStaffReading } from '../audit/staff-reading.js';
import type { CommandMeta } from '../command-handler.js';
import type { Services } from '../services.js';
import type { Viewer } from '../viewer.js';
import { runAccountCommand } from './account-commands.js';
import { accountIdFor } from './account-id.js';
import type { Caller } from './caller.js';
import { accountView, type InputRefused, inputRefused, type RoleChanged } from './results.js';

export type RoleResult = RoleChanged | InputRefused;

export interface RoleChange {
  identifier: string;
  role: string;
  institution?: string | null;
  reason: string;
}

const INSTITUTION = /^[A-Z0-9][A-Z0-9_-]{1,31}$/;

/** The admin who reads the answer, and where from: their reading is recorded before it is given. */
export interface RoleReader {
  viewer: Viewer;
  origin: ReadingOrigin;
}

/**
 * Grants or revokes a staff role on an account's stream. Who may do it is the caller's business
 * (grantRole: an ADMIN; /dev/roles: development); the meta names the actor.
 *
 * The answer is the account (e-mail, phone, name, last sign-in): to the admin who asked, a reading of
 * that person's data like any other, recorded in their data-access log before it is given. Granting a
 * role already held changes nothing on the account (no event), yet still answers the account, so the
 * reading is recorded all the same.
 */
export async function changeRole(
  services: Pick<Services, 'clock' | 'commands' | 'keys' | 'log' | 'projections'>,
  _caller: Pick<Caller, 'lang'>,
  meta: CommandMeta,
  change: RoleChange,
  action: 'GRANT' | 'REVOKE',
  reader?: RoleReader,
  /** What this caller may grant: an ADMIN's set, unless development's /dev/roles says all. */
  grantable: readonly GrantableRole[] = ROLES_AN_ADMIN_GRANTS,
): Promise<RoleResult> {
  if (!grantable.includes(change.role as GrantableRole)) return inputRefused('role', 'NOT_GRANTABLE');
  const role = change.role as GrantableRole;
  const institution = change.institution?.trim().toUpperCase() || null;
  if (institution !== null && role === 'CASEWORKER' && !INSTITUTION.test(institution))
    return inputRefused('institution', 'INVALID');
  const accountId = accountIdFor(services.keys.streamNames, normaliseIdentifier(change.identifier));
  const now = services.clock.now();
  const run = await runAccountCommand(services, accountStream(accountId), meta, () =>
    action === 'GRANT'
      ? { type: 'GrantRole', role, institution, reason: change.reason, now }
      : { type: 'RevokeRole', role, reason: change.reason, now },
  );
  const { outcome } = run;
  if (outcome.kind === 'RoleRefused') return inputRefused(outcome.field, outcome.code);
  const { after } = run;
  if (outcome.kind !== 'RoleChanged' || after.status !== 'ACTIVE')
    throw new Error(`unexpected role outcome ${outcome.kind}`);
  if (reader)
    await recordStaffReading(services, reader.origin, reader.viewer, 'ADMIN', {
      subjectAccountId: accountId,
      purpose: null,
      what: readingText.accountAnsweringRoleChange(action, role),
    });
  return { kind: 'RoleChanged', account: accountView(after) };
}
