import type { FastifyInstance } from 'fastify';
import type { IResolvers } from 'mercurius';
import { z } from 'zod';
import { actorFor, staffDisplay } from '../../app/applications/acting.js';
import { actOnApplication } from '../../app/applications/actions.js';
import type { ApplicationOutcome } from '../../app/applications/application-outcome.js';
import { statusEmailsSettled } from '../../app/applications/notify.js';
import {
  accessorOf,
  applicationForTrackingCode,
  visibleApplication,
} from '../../app/applications/read-access.js';
import { applyAsForeigner, applyForService } from '../../app/applications/submission.js';
import { type ReadingOrigin, recordApplicationReading } from '../../app/audit/staff-reading.js';
import type { Services } from '../../app/services.js';
import type { Authenticator, Viewer } from '../../app/viewer.js';
import type { ApplicationAct } from '../../domain/application/commands.js';
import type { ApplicationStatus } from '../../domain/application/events.js';
import { MAX_DOCUMENT_IDS } from '../../domain/application/rules.js';
import { type ExistingApplication, FINAL } from '../../domain/application/state.js';
import { readingText } from '../../domain/audit/reading-subject.js';
import {
  type Audience,
  type CatalogueService,
  institutionById,
  serviceById,
  servicesFor,
} from '../../domain/catalogue/services.js';
import type { Language } from '../../domain/shared/language.js';
import { t } from '../../domain/shared/language.js';
import { idOfStream } from '../../domain/shared/streams.js';
import {
  type ApplicationView,
  applicationsOfApplicant,
  applicationView,
  institutionQueue,
  type Page,
  type TimelineStep,
} from '../../projections/application-queries.js';
import { applicationViewAsOf } from '../../projections/applications-as-of.js';
import type { RequestContext } from '../context.js';
import { forbidden, notFound, unauthenticated } from '../errors.js';
import { MAX_JSON_DEPTH, nestsDeeperThan } from '../json-bounds.js';
import { actorOut } from '../outcomes/actor.js';
import { refusalText } from '../outcomes/application-texts.js';
import { admittedIterator } from '../subscription-context.js';
import { passGate } from './gates.js';

/** Subscriptions get a smaller context (subscription-context.ts); resolvers use only this much. */
type Ctx = Pick<RequestContext, 'services' | 'viewer' | 'requireViewer'> & {
  lang?: Language;
  meta?: RequestContext['meta'];
  pubsub?: { subscribe(topic: string): Promise<AsyncIterable<unknown>> };
  /** Subscriptions only (subscription-context.ts): the session asked for again, and closing the socket. */
  currentViewer?: () => Promise<Viewer | null>;
  endConnection?: (reason: string) => void;
};

const Id = z.string().min(1).max(64);
const Text = z.string().trim().min(1).max(4000);
const TrackingCode = z.string().min(1).max(100).optional().nullable();
const DocumentIds = z.array(z.string().min(1).max(64)).max(MAX_DOCUMENT_IDS).optional().nullable();
const Purpose = z.string().max(500).optional().nullable();
const Instant = z
  .string()
  .refine((v) => !Number.isNaN(Date.parse(v)), 'asOf: not a date-time')
  .transform((v) => new Date(v));
// Depth first: JSON.stringify of a value nested thousands deep overflows the stack (INTERNAL, found
// by test/api/fuzz-operations.e2e.spec.ts).
const FormData = z
  .unknown()
  .refine(
    (v) => v === undefined || v === null || !nestsDeeperThan(v, MAX_JSON_DEPTH),
    `formData nests deeper than ${MAX_JSON_DEPTH} levels`,
  )
  .refine(
    (v) =>
      v === undefined ||
      v === null ||
      nestsDeeperThan(v, MAX_JSON_DEPTH) ||
      JSON.stringify(v).length <= 20_000,
    'formData is too large',
  )
  .optional()
  .nullable();

const Apply = z.object({ serviceId: Id, formData: FormData, documentIds: DocumentIds });
const Foreigner = z.object({
  serviceId: Id,
  passportNumber: z.string().trim().min(1).max(40),
  nationality: z.string().trim().min(1).max(10),
  fullName: z.string().trim().min(1).max(200),
  email: z.string().trim().min(1).max(254),
  formData: FormData,
  documentIds: DocumentIds,
});

const regionNames = new Intl.DisplayNames(['en'], { type: 'region' });
function isCountryCode(code: string): boolean {
  if (!/^[A-Z]{2}$/.test(code)) return false;
  const name = regionNames.of(code);
  return !!name && name !== code && name !== 'Unknown Region';
}

// ---------- rendering ----------

interface ServiceOut extends CatalogueService {
  __typename: 'Service';
}
const serviceOut = (service: CatalogueService): ServiceOut => ({ __typename: 'Service', ...service });

interface ApplicationOut extends ApplicationView {
  __typename: 'Application';
  trackingCode: string | null;
  /** Set for an as-of answer: `overdue` is then computed at that instant, not now. */
  asOf?: Date;
}

function render(services: Services, id: string, trackingCode?: string): ApplicationOut | null {
  const view = applicationView(services.readDb, id);
  return view ? { __typename: 'Application', ...view, trackingCode: trackingCode ?? null } : null;
}

/** A staff member's reading of the application, recorded in the applicant's log before it is answered. */
function recordReading(
  ctx: Ctx,
  viewer: Viewer | null,
  application: ExistingApplication,
  reading: { purpose: string | null | undefined; what: string },
): Promise<void> {
  const accessor = accessorOf(ctx.services.keys, viewer);
  // Subscriptions have a smaller context: correlation id and ip are then absent, which the recorder allows.
  return recordApplicationReading(
    ctx.services,
    ctx as Ctx & ReadingOrigin,
    viewer,
    accessor,
    application,
    reading,
  );
}

function connection(services: Services, page: Page, shown: (id: string) => boolean = () => true) {
  const edges = page.ids.flatMap((id, i) => {
    const node = shown(id) ? render(services, id) : null;
    return node ? [{ cursor: page.cursors[i]!, node }] : [];
  });
  return { edges, pageInfo: { hasNextPage: page.hasNextPage, endCursor: page.cursors.at(-1) ?? null } };
}

/** Maps a command's outcome to the contract's answers: the Application, InputRefused, or an error. */
function answer(ctx: Ctx, outcome: ApplicationOutcome) {
  switch (outcome.kind) {
    case 'ACCEPTED': {
      const node = render(ctx.services, outcome.applicationId, outcome.trackingCode);
      if (!node) throw notFound('No such application.');
      return node;
    }
    case 'NOT_FOUND':
      throw notFound('No such application.');
    case 'FORBIDDEN':
      throw forbidden();
    case 'REFUSED':
      return refused(ctx, outcome.field, outcome.code);
    default: {
      const unknown: never = outcome;
      return unknown;
    }
  }
}

const refused = (ctx: Ctx, field: string, code: string) => ({
  __typename: 'InputRefused' as const,
  field,
  code,
  message: t(ctx.lang ?? 'sq', refusalText(code)),
});

function metaOf(ctx: Ctx) {
  if (!ctx.meta) throw new Error('mutations need a request context');
  return ctx.meta;
}

/** Runs an action on an application for the caller (a session, a tracking code, or both). */
async function act(
  ctx: Ctx,
  id: string,
  command: Parameters<typeof actOnApplication>[2],
  trackingCode: string | null | undefined,
  as: 'APPLICANT' | 'STAFF',
) {
  const viewer = await ctx.viewer();
  if (!viewer && !trackingCode) await ctx.requireViewer();
  const caller = accessorOf(ctx.services.keys, viewer, trackingCode);
  const meta = metaOf(ctx)(viewer ? actorFor(viewer, as) : actorFor(null, 'APPLICANT'));
  const outcome = await actOnApplication(ctx.services, Id.parse(id), command, caller, meta);
  // The answer is the whole application: to staff that is a reading like any other, recorded before it
  // is given (the change itself is already committed; only the answer is refused when it cannot be).
  if (outcome.kind === 'ACCEPTED') {
    const visible = await visibleApplication(ctx.services, outcome.applicationId, caller);
    if (!visible) throw notFound('No such application.');
    await recordReading(ctx, viewer, visible, {
      purpose: null,
      what: readingText.applicationAnswering(visible.applicationId, command.type),
    });
  }
  return answer(ctx, outcome);
}

/**
 * The connection's viewer as of now, asked of the authenticator again: a connection lives for hours,
 * and its session may have ended meanwhile (logout, password change, expiry). 'ENDED' then, and the
 * socket is closed (4403). An anonymous connection stays anonymous.
 */
async function sessionNow(ctx: Ctx): Promise<Viewer | null | 'ENDED'> {
  const opened = await ctx.viewer();
  if (!opened || !ctx.currentViewer) return opened;
  const current = await ctx.currentViewer();
  if (current?.accountId === opened.accountId) return current;
  ctx.endConnection?.('The session has ended.');
  return 'ENDED';
}

/**
 * Decides each push afresh, as a new request would be: the session must still stand and its viewer
 * must still see the application (a caseworker who lost the role or moved institution: the
 * subscription completes). Only then is the application rendered; null sends nothing and ends it.
 */
async function admitUpdate(
  ctx: Ctx,
  applicationId: string,
  trackingCode: string | null | undefined,
): Promise<{ applicationUpdated: ApplicationOut } | null> {
  const viewer = await sessionNow(ctx);
  if (viewer === 'ENDED') return null;
  const caller = accessorOf(ctx.services.keys, viewer, trackingCode);
  const visible = await visibleApplication(ctx.services, applicationId, caller);
  if (!visible) return null;
  // Each push shows the application afresh (its new state): to staff, a reading recorded before it is
  // sent, as for a query. A push that cannot be recorded is not sent, and the subscription ends.
  try {
    await recordReading(ctx, viewer, visible, {
      purpose: null,
      what: readingText.applicationLiveUpdate(applicationId),
    });
  } catch (error) {
    ctx.services.log.warn({ err: error }, 'live update not recorded: the subscription ends');
    return null;
  }
  const node = render(ctx.services, applicationId);
  return node ? { applicationUpdated: node } : null;
}

// ---------- resolvers ----------

const resolvers = {
  Query: {
    services: (_root: unknown, args: { audience?: Audience | null }) =>
      servicesFor(args.audience).map(serviceOut),

    application: async (
      _root: unknown,
      args: { id: string; asOf?: string | null; purpose?: string | null },
      ctx: Ctx,
    ) => {
      const viewer = await ctx.viewer();
      const id = Id.parse(args.id);
      const asOf = args.asOf === null || args.asOf === undefined ? null : Instant.parse(args.asOf);
      const purpose = Purpose.parse(args.purpose);
      // Who may see it is decided from the stream as it is now: the applicant and the institution
      // never change, so that is also who could see it at any earlier instant.
      const visible = await visibleApplication(ctx.services, id, accessorOf(ctx.services.keys, viewer));
      if (!visible) return null;
      await recordReading(ctx, viewer, visible, {
        purpose,
        what: readingText.application(id, asOf),
      });
      if (!asOf) return render(ctx.services, visible.applicationId);
      const view = await applicationViewAsOf(ctx.services.store, visible.applicationId, asOf);
      return view ? { __typename: 'Application' as const, ...view, trackingCode: null, asOf } : null;
    },

    myApplications: async (_root: unknown, args: { first?: number; after?: string }, ctx: Ctx) => {
      const viewer = await ctx.requireViewer();
      return connection(
        ctx.services,
        applicationsOfApplicant(ctx.services.readDb, viewer.accountId, args.first, args.after),
      );
    },

    applicationByTrackingCode: async (_root: unknown, args: { trackingCode: string }, ctx: Ctx) => {
      const code = z.string().min(1).max(100).parse(args.trackingCode);
      const found = await applicationForTrackingCode(ctx.services, code);
      return found ? render(ctx.services, found.applicationId) : null;
    },

    caseQueue: async (
      _root: unknown,
      args: { status?: ApplicationStatus | null; first?: number; after?: string },
      ctx: Ctx,
    ) => {
      const { viewer } = await passGate(ctx, 'caseQueue');
      const page = institutionQueue(
        ctx.services.readDb,
        viewer.institution!,
        args.status,
        args.first,
        args.after,
      );
      // The read model proposes the page; each application is shown only when its stream says this
      // caseworker may see it, and only once the reading is recorded in its applicant's log (the
      // role's standing purpose: the contract's caseQueue takes none). One record that cannot be
      // written refuses the whole page.
      const caller = accessorOf(ctx.services.keys, viewer);
      const listed = await Promise.all(page.ids.map((id) => visibleApplication(ctx.services, id, caller)));
      await Promise.all(
        listed.map((application) =>
          application
            ? recordReading(ctx, viewer, application, {
                purpose: null,
                what: readingText.applicationInCaseQueue(application.applicationId),
              })
            : undefined,
        ),
      );
      const shown = new Set(
        listed.flatMap((application) => (application ? [application.applicationId] : [])),
      );
      return connection(ctx.services, page, (id) => shown.has(id));
    },
  },

  Mutation: {
    applyForService: async (_root: unknown, args: unknown, ctx: Ctx) => {
      const input = Apply.parse(args);
      const viewer = await ctx.requireViewer();
      return answer(ctx, await applyForService(ctx.services, viewer, input, metaOf(ctx)()));
    },

    applyAsForeigner: async (_root: unknown, args: { input: unknown }, ctx: Ctx) => {
      const input = Foreigner.parse(args.input);
      const passportNumber = input.passportNumber.toUpperCase().replace(/\s+/g, '');
      const nationality = input.nationality.toUpperCase();
      if (!/^[A-Z0-9]{5,20}$/.test(passportNumber)) return refused(ctx, 'passportNumber', 'INVALID_PASSPORT');
      if (!isCountryCode(nationality)) return refused(ctx, 'nationality', 'INVALID_COUNTRY');
      if (!z.string().email().safeParse(input.email).success) return refused(ctx, 'email', 'INVALID_EMAIL');
      const outcome = await applyAsForeigner(
        ctx.services,
        { ...input, passportNumber, nationality, email: input.email.toLowerCase() },
        metaOf(ctx)(),
      );
      return answer(ctx, outcome);
    },

    withdrawApplication: (_root: unknown, args: { id: string; trackingCode?: string | null }, ctx: Ctx) =>
      act(ctx, args.id, { type: 'WithdrawApplication' }, TrackingCode.parse(args.trackingCode), 'APPLICANT'),

    provideInformation: (
      _root: unknown,
      args: { id: string; message: string; documentIds?: string[] | null; trackingCode?: string | null },
      ctx: Ctx,
    ) =>
      act(
        ctx,
        args.id,
        {
          type: 'ProvideInformation',
          message: Text.parse(args.message),
          documentIds: DocumentIds.parse(args.documentIds) ?? [],
        },
        TrackingCode.parse(args.trackingCode),
        'APPLICANT',
      ),

    rateService: (
      _root: unknown,
      args: { applicationId: string; stars: number; comment?: string | null; trackingCode?: string | null },
      ctx: Ctx,
    ) =>
      act(
        ctx,
        args.applicationId,
        {
          type: 'RateService',
          stars: z.number().int().parse(args.stars),
          comment: z.string().trim().max(2000).nullable().optional().parse(args.comment) || null,
        },
        TrackingCode.parse(args.trackingCode),
        'APPLICANT',
      ),

    assignApplication: async (_root: unknown, args: { id: string }, ctx: Ctx) => {
      const viewer = await ctx.requireViewer();
      const command: ApplicationAct = {
        type: 'AssignApplication',
        assigneeDisplay: staffDisplay(viewer),
      };
      return act(ctx, args.id, command, null, 'STAFF');
    },

    requestInformation: async (_root: unknown, args: { id: string; message: string }, ctx: Ctx) => {
      await ctx.requireViewer();
      return act(
        ctx,
        args.id,
        { type: 'RequestInformation', message: Text.parse(args.message) },
        null,
        'STAFF',
      );
    },

    approveApplication: async (_root: unknown, args: { id: string; note?: string | null }, ctx: Ctx) => {
      await ctx.requireViewer();
      const note = z.string().trim().max(4000).nullable().optional().parse(args.note) || null;
      return act(ctx, args.id, { type: 'ApproveApplication', note }, null, 'STAFF');
    },

    rejectApplication: async (_root: unknown, args: { id: string; reason: string }, ctx: Ctx) => {
      await ctx.requireViewer();
      return act(ctx, args.id, { type: 'RejectApplication', reason: Text.parse(args.reason) }, null, 'STAFF');
    },
  },

  Subscription: {
    applicationUpdated: {
      // Only someone who may see the application subscribes; events arrive after they are committed
      // and in this instance's read models (published from the projection runner).
      subscribe: async (_root: unknown, args: { id: string; trackingCode?: string | null }, ctx: Ctx) => {
        const viewer = await sessionNow(ctx);
        if (viewer === 'ENDED') throw unauthenticated('The session has ended; sign in again.');
        const code = TrackingCode.parse(args.trackingCode);
        const caller = accessorOf(ctx.services.keys, viewer, code);
        const visible = await visibleApplication(ctx.services, Id.parse(args.id), caller);
        if (!visible) throw notFound('No such application.');
        if (!ctx.pubsub) throw new Error('subscriptions are not enabled');
        // Following an application is one reading of it, recorded once when the subscription starts.
        await recordReading(ctx, viewer, visible, {
          purpose: null,
          what: readingText.applicationFollowedLive(visible.applicationId),
        });
        const updates = await ctx.pubsub.subscribe(applicationTopic(visible.applicationId));
        return admittedIterator(updates, () => admitUpdate(ctx, visible.applicationId, code));
      },
      resolve: (payload: { applicationUpdated: ApplicationOut }) => payload.applicationUpdated,
    },
  },

  Service: {
    name: (service: CatalogueService, _args: unknown, ctx: Ctx) =>
      t(ctx.lang ?? 'sq', { sq: service.nameSq, en: service.nameEn }),
    institutionName: (service: CatalogueService, _args: unknown, ctx: Ctx) => {
      const institution = institutionById(service.institution);
      return institution
        ? t(ctx.lang ?? 'sq', { sq: institution.nameSq, en: institution.nameEn })
        : service.institution;
    },
    // The contract's requiredDocuments answers in English, whatever the request's language.
    requiredDocuments: (service: CatalogueService) => service.requiredDocuments.map((d) => d.en),
    requiredDocumentsSq: (service: CatalogueService) => service.requiredDocuments.map((d) => d.sq),
    requiredDocumentsEn: (service: CatalogueService) => service.requiredDocuments.map((d) => d.en),
  },

  Application: {
    service: (application: ApplicationView) => {
      const service = serviceById(application.serviceId);
      if (!service) throw new Error(`service ${application.serviceId} is not in the catalogue`);
      return serviceOut(service);
    },
    // Computed when read, from the server clock: no job has to run for it to be right. An as-of answer
    // computes it at that instant (a future instant answers as of now: the future is not known).
    overdue: (application: ApplicationOut, _args: unknown, ctx: Ctx) => {
      const now = ctx.services.clock.now().getTime();
      const at = application.asOf ? Math.min(application.asOf.getTime(), now) : now;
      return !FINAL.has(application.status) && at > Date.parse(application.dueAt);
    },
    documents: (application: ApplicationView) =>
      application.documents.map((d) => ({ ...d, url: `/documents/${d.id}` })),
    assignedTo: (application: ApplicationView) => actorOut(application.assignedTo),
  },

  TimelineEntry: {
    actedBy: (step: TimelineStep) => actorOut(step.actedBy),
  },
};

/** Our context is RequestContext (or the subscription one), not mercurius' own type: hence the cast. */
export const applicationResolvers = resolvers as unknown as IResolvers;

/** Recorded after a change was e-mailed: nothing a subscriber sees changes, so nothing is pushed. */
const DELIVERY_OUTCOMES = new Set(['StatusEmailDelivered', 'StatusEmailDeliveryFailed']);

export const applicationTopic = (applicationId: string) => `application:${applicationId}`;

/**
 * Pushes each committed change of an application to its subscribers: only after the events are in
 * the log and in this instance's read models, so a subscriber never sees what may still be undone.
 * Fan-out is in process, and needs no Redis: with several instances each publishes what its own
 * runner applies, and every instance's runner follows the whole shared log (SQLite: by polling,
 * EventStoreDB: its subscription), so a subscriber on any instance is told of a change made through
 * any other (test/applications/subscription-instances.e2e.spec.ts: two instances on one log).
 * One push per application per applied batch, rendering the read model after the batch: changes that
 * arrive together (typical on an instance that learns of them by polling) come as one push of the
 * latest state, whose timeline holds every step.
 */
export async function applicationUpdatesFeature(
  app: FastifyInstance,
  services: Services,
  _auth: Authenticator,
) {
  const stop = services.projections.onCommitted((events) => {
    const pubsub = (app as FastifyInstance & { graphql?: { pubsub?: { publish(e: unknown): unknown } } })
      .graphql?.pubsub;
    if (!pubsub) return;
    const changed = new Set<string>();
    for (const event of events) {
      const id = idOfStream(event.stream, 'application');
      if (id !== null && !DELIVERY_OUTCOMES.has(event.type)) changed.add(id);
    }
    for (const id of changed)
      void Promise.resolve(
        pubsub.publish({ topic: applicationTopic(id), payload: { applicationUpdated: { id } } }),
      ).catch((error: unknown) => services.log.warn({ err: error }, 'application update not published'));
  });
  app.addHook('onClose', async () => {
    stop();
    // Status e-mails go out after their mutation answered: let those in flight finish and be recorded.
    await statusEmailsSettled(services);
  });
}
