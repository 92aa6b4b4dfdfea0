import { randomUUID } from 'node:crypto';
import { type Caller, maySee, standingOf } from '../../domain/application/access.js';
import {
  type ApplicationCommand,
  type AttachableDocument,
  decide,
  type Refusal,
} from '../../domain/application/decide.js';
import {
  attachVerdict,
  type DocumentClaimed,
  type DocumentState,
  decideRelease,
  documentModel,
  documentStream,
  mayCommitClaim,
} from '../../domain/application/documents.js';
import { type ApplicationStatus, applicationStream } from '../../domain/application/events.js';
import { applicationModel, type ExistingApplication } from '../../domain/application/state.js';
import {
  decideSubmission,
  type SubmitApplication,
  type SubmitDecision,
} from '../../domain/application/submit.js';
import { type Audience, serviceById } from '../../domain/catalogue/services.js';
import type { Actor } from '../../domain/shared/events.js';
import type { CommandMeta } from '../command-handler.js';
import type { Services } from '../services.js';
import type { Viewer } from '../viewer.js';
import { applicationIdForTrackingCode, newTrackingCode, sameHash, trackingCodeHash } from './caller.js';
import { sendStatusEmailsLater } from './notify.js';
import { readRegistryFor } from './registry-readings.js';

export type ApplicationOutcome =
  | { kind: 'ACCEPTED'; applicationId: string; position: number | null; trackingCode?: string }
  | Refusal;

const MAX_EXTRA_DOCUMENTS = 10;
const DOCUMENT_ID = /^[0-9a-f]{32}$/;

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

/**
 * The one place reads decide who sees an application: from its stream, never from a read model.
 * null when it does not exist or the caller may not see it (the two look the same from outside).
 */
export async function visibleApplication(
  services: Services,
  applicationId: string,
  caller: Caller,
): Promise<ExistingApplication | null> {
  if (!isApplicationId(applicationId)) return null;
  const { state } = await services.commands.load(applicationStream(applicationId), applicationModel);
  if (state.status === 'NONE') return null;
  return maySee(standingOf(state, caller)) ? state : null;
}

/** Finds a foreign national's application from its tracking code alone (no read model involved). */
export async function applicationForTrackingCode(
  services: Services,
  trackingCode: string,
): Promise<ExistingApplication | null> {
  const id = applicationIdForTrackingCode(services.keys, trackingCode);
  const { state } = await services.commands.load(applicationStream(id), applicationModel);
  if (state.status === 'NONE' || !state.applicant.trackingCodeHash) return null;
  return sameHash(state.applicant.trackingCodeHash, trackingCodeHash(services.keys, trackingCode))
    ? state
    : null;
}

export const isApplicationId = (id: string) => /^[0-9a-f-]{32,36}$/.test(id);

interface AttachCheck {
  documentId: string;
  verdict: 'OK' | 'UNKNOWN_DOCUMENT' | 'DOCUMENT_ALREADY_ATTACHED';
  document?: AttachableDocument;
}

/**
 * For a document claimed by another application (any, for applicationId null): whether that application
 * holds it, which tells a claim left behind by a crash from a real attachment (CLAIM_LEASE_MS in
 * documents.ts).
 */
export async function claimantOf(services: Services, state: DocumentState, applicationId: string | null) {
  if (state.status === 'NONE' || state.claimedBy === null || state.claimedBy === applicationId) return null;
  const claimant = await services.commands.load(applicationStream(state.claimedBy), applicationModel);
  const holdsDocument =
    claimant.state.status !== 'NONE' && claimant.state.documentIds.includes(state.documentId);
  return { holdsDocument, now: services.clock.now() };
}

/** Judges each named document from its own stream: the uploader's, not claimed by another application. */
async function checkDocuments(
  services: Services,
  documentIds: string[],
  applicantAccountId: string | null,
  applicationId: string,
): Promise<AttachCheck[]> {
  return Promise.all(
    documentIds.map(async (documentId): Promise<AttachCheck> => {
      if (!DOCUMENT_ID.test(documentId)) return { documentId, verdict: 'UNKNOWN_DOCUMENT' };
      const { state } = await services.commands.load(documentStream(documentId), documentModel);
      const claimant = await claimantOf(services, state, applicationId);
      const verdict = attachVerdict(state, applicantAccountId, applicationId, claimant);
      if (verdict !== 'OK' || state.status === 'NONE') return { documentId, verdict };
      return {
        documentId,
        verdict,
        document: { documentId, fileName: state.fileName, size: state.size, sha256: state.sha256 },
      };
    }),
  );
}

interface ClaimRequest {
  documentIds: string[];
  applicantAccountId: string | null;
  applicationId: string;
  meta: CommandMeta;
}

const alreadyAttached: Refusal = { kind: 'REFUSED', field: 'documentIds', code: 'DOCUMENT_ALREADY_ATTACHED' };

/**
 * Claims each document for the application in the document's own stream (exact revision), so two
 * applications racing for one document cannot both get it, then runs `commit` (the append to the
 * application stream). If a claim is refused or fails, or the commit fails or is refused, every claim
 * made here is released again (DocumentReleased), so no document stays tied to an application that
 * does not hold it. A crash between the steps is covered by the claim's lease (documents.ts).
 */
async function withClaimedDocuments<O extends { result: { kind: string } }>(
  services: Services,
  request: ClaimRequest,
  commit: () => Promise<O>,
): Promise<O | Refusal> {
  const claimed: string[] = [];
  let succeeded = false;
  try {
    for (const documentId of request.documentIds) {
      const outcome = await services.commands.execute(
        documentStream(documentId),
        documentModel,
        async ({ state }) => {
          const claimant = await claimantOf(services, state, request.applicationId);
          const verdict = attachVerdict(state, request.applicantAccountId, request.applicationId, claimant);
          // Claiming again for the same application appends nothing.
          if (verdict !== 'OK' || (state.status !== 'NONE' && state.claimedBy === request.applicationId))
            return { events: [], result: verdict };
          const claimed: DocumentClaimed = {
            type: 'DocumentClaimed',
            data: {
              documentId,
              applicationId: request.applicationId,
              claimedAt: services.clock.now().toISOString(),
            },
          };
          return { events: [claimed], result: verdict };
        },
        request.meta,
      );
      if (outcome.appended.length > 0) claimed.push(documentId);
      if (outcome.result !== 'OK') return { kind: 'REFUSED', field: 'documentIds', code: outcome.result };
    }
    const committed = await commit();
    succeeded = committed.result.kind === 'ACCEPTED';
    return committed;
  } finally {
    if (!succeeded) await releaseClaims(services, claimed, request);
  }
}

/** Best effort: a release that fails leaves a claim whose lease runs out by itself. */
async function releaseClaims(services: Services, documentIds: string[], request: ClaimRequest) {
  for (const documentId of documentIds) {
    try {
      const released = await services.commands.execute(
        documentStream(documentId),
        documentModel,
        ({ state }) => ({
          events: decideRelease(state, request.applicationId, services.clock.now()),
          result: null,
        }),
        request.meta,
      );
      await services.projections.waitFor(released.position);
    } catch (error) {
      services.log.warn({ err: error, documentId }, 'document claim not released; its lease will run out');
    }
  }
}

/**
 * Checked inside the application append, right before it: every claim still this application's and
 * within its lease. Otherwise the document may have been taken over, and the append must not happen.
 */
async function claimsStillHeld(services: Services, request: ClaimRequest): Promise<boolean> {
  const now = services.clock.now();
  for (const documentId of request.documentIds) {
    const { state } = await services.commands.load(documentStream(documentId), documentModel);
    if (!mayCommitClaim(state, request.applicationId, now)) return false;
  }
  return true;
}

interface Submission {
  applicationId: string;
  serviceId: string;
  applicant: SubmitApplication['applicant'];
  documentIds: string[];
  formData: unknown;
  meta: CommandMeta;
  trackingCode?: string;
}

async function submit(services: Services, s: Submission): Promise<ApplicationOutcome> {
  const service = serviceById(s.serviceId);
  const now = services.clock.now();
  const documents = await checkDocuments(services, s.documentIds, s.applicant.accountId, s.applicationId);
  const command: SubmitApplication = {
    applicationId: s.applicationId,
    service,
    applicant: s.applicant,
    documents,
    registryReadings: [],
    formData: s.formData,
    now,
  };
  // Judge the input before reading a registry or claiming documents: a refusal changes nothing.
  const precheck = decideSubmission({ status: 'NONE' }, command);
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
        const decision: SubmitDecision = (await claimsStillHeld(services, claims))
          ? decideSubmission(state, { ...command, registryReadings })
          : alreadyAttached;
        return { events: decision.kind === 'ACCEPTED' ? decision.events : [], result: decision };
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
  services: Services,
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
  services: Services,
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

/**
 * Every action on an existing application: decided from its stream by the pure decider, which holds
 * the state machine and the who-may-do-what rules. A refusal appends nothing.
 */
export async function actOnApplication(
  services: Services,
  applicationId: string,
  command: ApplicationCommand | { type: 'ProvideInformation'; message: string; documentIds: string[] },
  caller: Caller | 'SYSTEM',
  meta: CommandMeta,
): Promise<ApplicationOutcome> {
  if (!isApplicationId(applicationId)) return { kind: 'NOT_FOUND' };
  const stream = applicationStream(applicationId);
  let resolved: ApplicationCommand;
  let claims: ClaimRequest = { documentIds: [], applicantAccountId: null, applicationId, meta };
  if (command.type === 'ProvideInformation' && 'documentIds' in command) {
    const pre = await services.commands.load(stream, applicationModel);
    const probe = decide(
      pre.state,
      { type: 'ProvideInformation', message: command.message, documents: [] },
      caller,
      services.clock.now(),
    );
    if (probe.kind !== 'ACCEPTED') return probe;
    if (pre.state.status === 'NONE') return { kind: 'NOT_FOUND' };
    const ids = command.documentIds;
    if (ids.length > MAX_EXTRA_DOCUMENTS)
      return { kind: 'REFUSED', field: 'documentIds', code: 'TOO_MANY_DOCUMENTS' };
    if (new Set(ids).size !== ids.length)
      return { kind: 'REFUSED', field: 'documentIds', code: 'DUPLICATE_DOCUMENT' };
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
    resolved = command as ApplicationCommand;
  }
  let statusBefore: ApplicationStatus | null = null;
  const outcome = await withClaimedDocuments(services, claims, () =>
    services.commands.execute(
      stream,
      applicationModel,
      async ({ state }) => {
        statusBefore = state.status === 'NONE' ? null : state.status;
        const decision = (await claimsStillHeld(services, claims))
          ? decide(state, resolved, caller, services.clock.now())
          : alreadyAttached;
        return { events: decision.kind === 'ACCEPTED' ? decision.events : [], result: decision };
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
