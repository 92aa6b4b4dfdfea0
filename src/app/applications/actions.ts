import type { Accessor } from '../../domain/application/access.js';
import type { ApplicationAct, AttachableDocument } from '../../domain/application/commands.js';
import { applicationModel, decide } from '../../domain/application/decide.js';
import type { ApplicationStatus } from '../../domain/application/events.js';
import { documentListRefusal, MAX_EXTRA_DOCUMENTS } from '../../domain/application/rules.js';
import { isApplicationId } from '../../domain/shared/ids.js';
import { applicationStream } from '../../domain/shared/streams.js';
import type { CommandMeta } from '../command-handler.js';
import type { Services } from '../services.js';
import type { ApplicationOutcome } from './application-outcome.js';
import {
  alreadyAttached,
  type ClaimRequest,
  checkDocuments,
  claimsStillHeld,
  withClaimedDocuments,
} from './document-claims.js';
import { sendStatusEmailsLater } from './notify.js';

/**
 * Every action on an existing application: decided from its stream by the pure decider, which holds
 * the state machine and the who-may-do-what rules. A refusal appends nothing.
 */
export async function actOnApplication(
  services: Pick<Services, 'clock' | 'commands' | 'log' | 'projections' | 'senders' | 'store'>,
  applicationId: string,
  command: ApplicationAct | { type: 'ProvideInformation'; message: string; documentIds: string[] },
  by: Accessor | 'SYSTEM',
  meta: CommandMeta,
): Promise<ApplicationOutcome> {
  if (!isApplicationId(applicationId)) return { kind: 'NOT_FOUND' };
  const stream = applicationStream(applicationId);
  let resolved: ApplicationAct;
  let claims: ClaimRequest = { documentIds: [], applicantAccountId: null, applicationId, meta };
  if (command.type === 'ProvideInformation' && 'documentIds' in command) {
    const pre = await services.commands.load(stream, applicationModel);
    const probe = decide(
      { type: 'ProvideInformation', message: command.message, documents: [], by, now: services.clock.now() },
      pre.state,
    ).outcome;
    if (probe.kind !== 'ACCEPTED') return probe;
    if (pre.state.status === 'NONE') return { kind: 'NOT_FOUND' };
    const ids = command.documentIds;
    const listRefusal = documentListRefusal(ids, MAX_EXTRA_DOCUMENTS);
    if (listRefusal) return listRefusal;
    const applicantAccountId = pre.state.applicant.accountId;
    const checks = await checkDocuments(services, ids, applicantAccountId, applicationId);
    const bad = checks.find((c) => c.verdict !== 'OK');
    if (bad) return { kind: 'REFUSED', field: 'documentIds', code: bad.verdict };
    claims = { documentIds: ids, applicantAccountId, applicationId, meta };
    resolved = {
      type: 'ProvideInformation',
      message: command.message,
      documents: checks.map((c) => c.document as AttachableDocument),
    };
  } else {
    resolved = command as ApplicationAct;
  }
  let statusBefore: ApplicationStatus | null = null;
  const outcome = await withClaimedDocuments(services, claims, () =>
    services.commands.execute(
      stream,
      applicationModel,
      async ({ state }) => {
        statusBefore = state.status === 'NONE' ? null : state.status;
        if (!(await claimsStillHeld(services, claims))) return { events: [], result: alreadyAttached };
        const { events, outcome } = decide({ ...resolved, by, now: services.clock.now() }, state);
        return { events, result: outcome };
      },
      meta,
    ),
  );
  if (!('result' in outcome)) return outcome;
  if (outcome.result.kind !== 'ACCEPTED') return outcome.result;
  await services.projections.waitFor(outcome.position);
  if (outcome.appended.length > 0)
    sendStatusEmailsLater(services, applicationId, outcome.appended, statusBefore);
  return { kind: 'ACCEPTED', applicationId, position: outcome.position };
}
