import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { actOnApplication } from '../../src/app/applications/actions.js';
import { statusEmailsSettled } from '../../src/app/applications/notify.js';
import { accessorOf } from '../../src/app/applications/read-access.js';
import { applyForService } from '../../src/app/applications/submission.js';
import type { ApplicationAct } from '../../src/domain/application/commands.js';
import type { ApplicationStatus } from '../../src/domain/application/events.js';
import { applicationStream } from '../../src/domain/shared/streams.js';
import { applicationView } from '../../src/projections/application-queries.js';
import { VIEWERS, type ViewerName } from './fake-viewers.js';
import { type CaseApp, startCaseApp } from './support.js';

/** The rules as a table, written apart from the code: who may act, and from which statuses to which. */
const ACTORS = [
  'arben',
  'dpgjc1',
  'dpgjc2',
  'dkm',
  'auditor',
  'elira',
] as const satisfies readonly ViewerName[];
type ActorName = (typeof ACTORS)[number];
const SEES = new Set<ActorName>(['arben', 'dpgjc1', 'dpgjc2', 'auditor']);
const STAFF = new Set<ActorName>(['dpgjc1', 'dpgjc2']);
const OPEN: ApplicationStatus[] = ['SUBMITTED', 'IN_REVIEW', 'INFORMATION_REQUESTED'];

type Kind = 'assign' | 'request' | 'provide' | 'approve' | 'reject' | 'withdraw' | 'rate';
const RULES: Record<
  Kind,
  {
    who: 'staff' | 'assignee' | 'applicant';
    from: ApplicationStatus[];
    to: (s: ApplicationStatus) => ApplicationStatus;
  }
> = {
  assign: { who: 'staff', from: OPEN, to: (s) => (s === 'SUBMITTED' ? 'IN_REVIEW' : s) },
  request: { who: 'assignee', from: ['IN_REVIEW'], to: () => 'INFORMATION_REQUESTED' },
  provide: { who: 'applicant', from: ['INFORMATION_REQUESTED'], to: () => 'IN_REVIEW' },
  approve: { who: 'assignee', from: ['IN_REVIEW'], to: () => 'APPROVED' },
  reject: { who: 'assignee', from: ['IN_REVIEW', 'INFORMATION_REQUESTED'], to: () => 'REJECTED' },
  withdraw: { who: 'applicant', from: OPEN, to: () => 'WITHDRAWN' },
  rate: { who: 'applicant', from: ['APPROVED', 'REJECTED'], to: (s) => s },
};

/** Every status change the rules allow; anything else in a stream is a bug. */
const ALLOWED_STEPS = new Set([
  'SUBMITTED>IN_REVIEW',
  'IN_REVIEW>INFORMATION_REQUESTED',
  'INFORMATION_REQUESTED>IN_REVIEW',
  'IN_REVIEW>APPROVED',
  'IN_REVIEW>REJECTED',
  'INFORMATION_REQUESTED>REJECTED',
  'SUBMITTED>WITHDRAWN',
  'IN_REVIEW>WITHDRAWN',
  'INFORMATION_REQUESTED>WITHDRAWN',
]);

interface Model {
  status: ApplicationStatus;
  assignee: ActorName | null;
  rated: boolean;
}

interface Real {
  t: CaseApp;
  id: string;
}

function expected(model: Model, kind: Kind, actor: ActorName, stars: number): string {
  if (!SEES.has(actor)) return 'NOT_FOUND';
  const rule = RULES[kind];
  const may =
    rule.who === 'applicant'
      ? actor === 'arben'
      : rule.who === 'staff'
        ? STAFF.has(actor)
        : model.assignee === actor;
  if (!may) return 'FORBIDDEN';
  if (!rule.from.includes(model.status)) return 'REFUSED:NOT_ALLOWED_IN_STATUS';
  if (kind === 'rate' && model.rated) return 'REFUSED:ALREADY_RATED';
  if (kind === 'rate' && (stars < 1 || stars > 5)) return 'REFUSED:OUT_OF_RANGE';
  return 'ACCEPTED';
}

function commandOf(
  kind: Kind,
  actor: ActorName,
  stars: number,
): ApplicationAct | { type: 'ProvideInformation'; message: string; documentIds: string[] } {
  switch (kind) {
    case 'assign':
      return { type: 'AssignApplication', assigneeDisplay: `Caseworker, ${VIEWERS[actor].institution}` };
    case 'request':
      return { type: 'RequestInformation', message: 'More, please' };
    case 'provide':
      return { type: 'ProvideInformation', message: 'Here it is', documentIds: [] };
    case 'approve':
      return { type: 'ApproveApplication', note: null };
    case 'reject':
      return { type: 'RejectApplication', reason: 'No' };
    case 'withdraw':
      return { type: 'WithdrawApplication' };
    case 'rate':
      return { type: 'RateService', stars, comment: null };
  }
}

class Act implements fc.AsyncCommand<Model, Real> {
  constructor(
    readonly kind: Kind,
    readonly actor: ActorName,
    readonly stars: number,
  ) {}
  check() {
    return true;
  }
  async run(model: Model, real: Real) {
    const { t, id } = real;
    // Status e-mails of the previous command go out after it answered; their outcomes are appended then.
    await statusEmailsSettled(t.services);
    const before = await t.services.store.headPosition();
    const viewer = VIEWERS[this.actor];
    const outcome = await actOnApplication(
      t.services,
      id,
      commandOf(this.kind, this.actor, this.stars),
      accessorOf(t.services.keys, viewer),
      { actor: { kind: 'PERSON', accountId: viewer.accountId }, correlationId: 'model' },
    );
    const got = outcome.kind === 'REFUSED' ? `REFUSED:${outcome.code}` : outcome.kind;
    const want = expected(model, this.kind, this.actor, this.stars);
    expect(got).toBe(want);
    if (got !== 'ACCEPTED') expect(await t.services.store.headPosition()).toBe(before);
    else {
      model.status = RULES[this.kind].to(model.status);
      if (this.kind === 'assign') model.assignee = this.actor;
      if (this.kind === 'rate') model.rated = true;
    }
    await assertConsistent(t, id, model);
  }
  toString() {
    return `${this.kind}(${this.actor}${this.kind === 'rate' ? `, ${this.stars}` : ''})`;
  }
}

/** Folds the stream the plain way and compares with the model and the read model. */
async function assertConsistent(t: CaseApp, id: string, model: Model) {
  const events = await t.services.store.readStream(applicationStream(id));
  const statuses: ApplicationStatus[] = [];
  let status: ApplicationStatus | null = null;
  let rating: number | null = null;
  for (const event of events) {
    const next: ApplicationStatus | null =
      event.type === 'ApplicationSubmitted'
        ? 'SUBMITTED'
        : event.type === 'ApplicationAssigned'
          ? status === 'SUBMITTED'
            ? 'IN_REVIEW'
            : null
          : event.type === 'InformationRequested'
            ? 'INFORMATION_REQUESTED'
            : event.type === 'InformationProvided'
              ? 'IN_REVIEW'
              : event.type === 'ApplicationApproved'
                ? 'APPROVED'
                : event.type === 'ApplicationRejected'
                  ? 'REJECTED'
                  : event.type === 'ApplicationWithdrawn'
                    ? 'WITHDRAWN'
                    : null;
    if (event.type === 'ServiceRated') rating = event.data.stars as number;
    if (next && status) expect(ALLOWED_STEPS.has(`${status}>${next}`)).toBe(true);
    if (next) status = next;
    // A timeline entry per status change and per assignment (a takeover keeps the status).
    if (next || event.type === 'ApplicationAssigned') statuses.push(next ?? (status as ApplicationStatus));
  }
  expect(status).toBe(model.status);
  const view = applicationView(t.services.readDb, id);
  expect(view?.status).toBe(status);
  expect(view?.rating).toBe(rating);
  expect(view?.timeline.map((e) => e.status)).toEqual(statuses);
  expect(view?.assignee ?? null).toBe(model.assignee ? 'Caseworker, DPGJC' : null);
}

describe('application lifecycle (model-based)', () => {
  let t: CaseApp;
  beforeAll(async () => {
    t = await startCaseApp();
  });
  afterAll(async () => {
    await t?.close();
  });

  it('reaches no status by a forbidden transition, appends nothing when refusing, and reads as its stream folds', async () => {
    const command = fc
      .tuple(
        fc.constantFrom<Kind>('assign', 'request', 'provide', 'approve', 'reject', 'withdraw', 'rate'),
        // Weighted so that long valid runs (assign, ask, answer, decide, rate) happen often.
        fc.oneof(
          { arbitrary: fc.constant<ActorName>('arben'), weight: 6 },
          { arbitrary: fc.constant<ActorName>('dpgjc1'), weight: 6 },
          { arbitrary: fc.constant<ActorName>('dpgjc2'), weight: 2 },
          { arbitrary: fc.constantFrom<ActorName>('dkm', 'auditor', 'elira'), weight: 2 },
        ),
        fc.integer({ min: 0, max: 6 }),
      )
      .map(([kind, actor, stars]) => new Act(kind, actor, stars));
    await fc.assert(
      fc.asyncProperty(fc.commands([command], { maxCommands: 40, size: '+1' }), async (commands) => {
        const applied = await applyForService(
          t.services,
          VIEWERS.arben,
          { serviceId: 'DPGJC-PERSONAL-CERTIFICATE' },
          { actor: { kind: 'PERSON' }, correlationId: 'model' },
        );
        if (applied.kind !== 'ACCEPTED') throw new Error('could not apply');
        const model: Model = { status: 'SUBMITTED', assignee: null, rated: false };
        await fc.asyncModelRun(() => ({ model, real: { t, id: applied.applicationId } }), commands);
      }),
      { numRuns: 80 },
    );
  });
});
