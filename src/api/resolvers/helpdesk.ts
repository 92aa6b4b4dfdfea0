import { z } from 'zod';
import {
  accountIdOfIdentifier,
  accountStatus,
  type HelpdeskResult,
  hasAccount,
  regeneratePassword,
  unlockAccount,
} from '../../app/account/helpdesk.js';
import { recordStaffReading } from '../../app/audit/staff-reading.js';
import type { Viewer } from '../../app/viewer.js';
import { readingText } from '../../domain/audit/reading-subject.js';
import type { RequestContext } from '../context.js';
import { badInput } from '../errors.js';
import { answering } from '../outcomes/account.js';
import { passGate } from './gates.js';
import type { FeatureResolvers } from './index.js';
import { resolver } from './resolver.js';

const text = (max: number) => z.string().max(max);
const RegenerateArgs = z.object({
  identifier: text(64),
  reason: text(1000),
  phone: text(32).nullish(),
  email: text(254).nullish(),
});
const UnlockArgs = z.object({ identifier: text(64), reason: text(1000) });
const StatusArgs = z.object({
  identifier: text(64),
  asOf: z
    .string()
    .refine((v) => !Number.isNaN(Date.parse(v)), 'not a date-time')
    .transform((v) => new Date(v))
    .nullish(),
  purpose: text(500).nullish(),
});

/**
 * A helpdesk action answers with the account's status: that answer is a staff reading of the person's
 * data like accountStatus, recorded in their data-access log (purpose: the action's reason) before it
 * is given. Refusals show nothing of the account and record nothing.
 */
async function recordedAnswer(
  context: RequestContext,
  viewer: Viewer,
  identifier: string,
  reason: string,
  action: 'regeneratePassword' | 'unlockAccount',
  result: HelpdeskResult,
  role: 'HELPDESK' | 'ADMIN' = 'HELPDESK',
): Promise<HelpdeskResult> {
  if (result.kind !== 'HelpdeskActionDone') return result;
  await recordStaffReading(context.services, context, viewer, role, {
    subjectAccountId: accountIdOfIdentifier(context.services, identifier),
    purpose: reason,
    what: readingText.accountStatusAnswering(action),
  });
  return result;
}

/** The helpdesk's actions and the status query (HELPDESK, AUDITOR); every reading is recorded first. */
export const helpdeskResolvers: FeatureResolvers = {
  Query: {
    accountStatus: resolver(async (args, context) => {
      const { viewer, role } = await passGate(context, 'accountStatus');
      const { identifier, asOf, purpose } = StatusArgs.parse(args);
      const now = context.services.clock.now();
      // The past is a fact; a future instant would be a guess about locks that may still change.
      if (asOf && asOf.getTime() > now.getTime()) throw badInput('asOf is in the future', 'asOf');
      if (!(await hasAccount(context.services, identifier))) return null;
      const at = asOf ?? now;
      await recordStaffReading(context.services, context, viewer, role, {
        subjectAccountId: accountIdOfIdentifier(context.services, identifier),
        purpose,
        what: readingText.accountStatus(asOf ?? null),
      });
      return accountStatus(context.services, identifier, at);
    }),
  },
  Mutation: {
    regeneratePassword: answering(async (args, context) => {
      const { viewer } = await passGate(context, 'regeneratePassword');
      const request = RegenerateArgs.parse(args);
      const reason = request.reason.trim();
      const result = await regeneratePassword(context.services, context, viewer, { ...request, reason });
      return recordedAnswer(context, viewer, request.identifier, reason, 'regeneratePassword', result);
    }),
    unlockAccount: answering(async (args, context) => {
      const { viewer, role } = await passGate(context, 'unlockAccount');
      const request = UnlockArgs.parse(args);
      const reason = request.reason.trim();
      const result = await unlockAccount(context.services, context, viewer, { ...request, reason });
      return recordedAnswer(context, viewer, request.identifier, reason, 'unlockAccount', result, role);
    }),
  },
};
