import { randomUUID } from 'node:crypto';
import type { SubmitApplication } from '../../domain/application/commands.js';
import { applicationModel, decide } from '../../domain/application/decide.js';
import { type Audience, serviceById } from '../../domain/catalogue/services.js';
import { applicationStream } from '../../domain/shared/streams.js';
import type { CommandMeta } from '../command-handler.js';
import type { Services } from '../services.js';
import type { Viewer } from '../viewer.js';
import { actorFor } from './acting.js';
import type { ApplicationOutcome } from './application-outcome.js';
import {
  alreadyAttached,
  type ClaimRequest,
  checkDocuments,
  claimsStillHeld,
  withClaimedDocuments,
} from './document-claims.js';
import { sendStatusEmailsLater } from './notify.js';
import { readRegistryFor } from './registry-readings.js';
import { applicationIdForTrackingCode, newTrackingCode, trackingCodeHash } from './tracking-codes.js';

interface Submission {
  applicationId: string;
  serviceId: string;
  applicant: SubmitApplication['applicant'];
  documentIds: string[];
  formData: unknown;
  meta: CommandMeta;
  trackingCode?: string;
}

async function submit(
  services: Pick<Services, 'clock' | 'commands' | 'log' | 'projections' | 'registries' | 'senders' | 'store'>,
  s: Submission,
): Promise<ApplicationOutcome> {
  const service = serviceById(s.serviceId);
  const now = services.clock.now();
  const documents = await checkDocuments(services, s.documentIds, s.applicant.accountId, s.applicationId);
  const command: SubmitApplication = {
    type: 'SubmitApplication',
    applicationId: s.applicationId,
    service,
    applicant: s.applicant,
    documents,
    registryReadings: [],
    formData: s.formData,
    now,
  };
  // Judge the input before reading a registry or claiming documents: a refusal changes nothing.
  const precheck = decide(command, { status: 'NONE' }).outcome;
  if (precheck.kind !== 'ACCEPTED') return precheck;
  const registryReadings = await readRegistryFor(
    service,
    { kind: s.applicant.kind, identifier: s.applicant.personal.identifier },
    services.registries,
    now,
  );
  const claims: ClaimRequest = {
    documentIds: s.documentIds,
    applicantAccountId: s.applicant.accountId,
    applicationId: s.applicationId,
    meta: s.meta,
  };
  const outcome = await withClaimedDocuments(services, claims, () =>
    services.commands.execute(
      applicationStream(s.applicationId),
      applicationModel,
      async ({ state }) => {
        if (!(await claimsStillHeld(services, claims))) return { events: [], result: alreadyAttached };
        const { events, outcome } = decide({ ...command, registryReadings }, state);
        return { events, result: outcome };
      },
      s.meta,
    ),
  );
  if (!('result' in outcome)) return outcome;
  if (outcome.result.kind !== 'ACCEPTED') return outcome.result;
  await services.projections.waitFor(outcome.position);
  sendStatusEmailsLater(services, s.applicationId, outcome.appended, null, s.trackingCode);
  return {
    kind: 'ACCEPTED',
    applicationId: s.applicationId,
    position: outcome.position,
    ...(s.trackingCode ? { trackingCode: s.trackingCode } : {}),
  };
}

/** A signed-in person applies; a business account applies as the business. */
export function applyForService(
  services: Pick<Services, 'clock' | 'commands' | 'log' | 'projections' | 'registries' | 'senders' | 'store'>,
  viewer: Viewer,
  input: { serviceId: string; formData?: unknown; documentIds?: string[] | null },
  meta: CommandMeta,
): Promise<ApplicationOutcome> {
  const kind: Audience = viewer.kind === 'BUSINESS' ? 'BUSINESS' : 'CITIZEN';
  return submit(services, {
    applicationId: randomUUID(),
    serviceId: input.serviceId,
    applicant: {
      kind,
      accountId: viewer.accountId,
      trackingCodeHash: null,
      personal: {
        displayName: viewer.displayName,
        identifier: viewer.identifier,
        email: null,
        nationality: null,
      },
    },
    documentIds: input.documentIds ?? [],
    formData: input.formData ?? null,
    meta: { ...meta, actor: actorFor(viewer, 'APPLICANT') },
  });
}

export interface ForeignerInput {
  serviceId: string;
  passportNumber: string;
  nationality: string;
  fullName: string;
  email: string;
  formData?: unknown;
  documentIds?: string[] | null;
}

/** A foreign national applies without an account and gets a tracking code, shown once. */
export function applyAsForeigner(
  services: Pick<
    Services,
    'clock' | 'commands' | 'keys' | 'log' | 'projections' | 'registries' | 'senders' | 'store'
  >,
  input: ForeignerInput,
  meta: CommandMeta,
): Promise<ApplicationOutcome> {
  const trackingCode = newTrackingCode();
  return submit(services, {
    applicationId: applicationIdForTrackingCode(services.keys, trackingCode),
    serviceId: input.serviceId,
    applicant: {
      kind: 'FOREIGNER',
      accountId: null,
      trackingCodeHash: trackingCodeHash(services.keys, trackingCode),
      personal: {
        displayName: input.fullName,
        identifier: input.passportNumber,
        email: input.email,
        nationality: input.nationality,
      },
    },
    documentIds: input.documentIds ?? [],
    formData: input.formData ?? null,
    meta: { ...meta, actor: actorFor(null, 'APPLICANT') },
    trackingCode,
  });
}
