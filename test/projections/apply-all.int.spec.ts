import Database from 'better-sqlite3';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { RecordedEvent } from '../../src/infra/eventstore/port.js';
import { APPLICATION_TABLES, applicationsProjection } from '../../src/projections/applications.js';
import { auditLogProjection } from '../../src/projections/audit.js';

const dump = (db: Database.Database) => ({
  log: db.prepare('SELECT * FROM audit_log ORDER BY position').all(),
  owners: db.prepare('SELECT * FROM audit_stream_owner ORDER BY stream').all(),
});

const streamArb = fc.constantFrom(
  'account-a1',
  'attempts-b2',
  'data-access-a1',
  'application-x1',
  'application-x2',
  'document-d1',
  'audit-checkpoints',
);

const eventArb = fc.record({
  stream: streamArb,
  type: fc.constantFrom('ApplicationSubmitted', 'DocumentUploaded', 'Something', 'ApplicationApproved'),
  occurredAt: fc.constantFrom('2026-11-27T08:00:00.000Z', '2026-11-27T08:00:00Z', 'not a time', undefined),
  owner: fc.option(fc.constantFrom('a1', 'c3'), { nil: undefined }),
});

describe('audit-log projection', () => {
  it('applyAll (multi-row inserts) writes exactly the rows apply writes event by event', () => {
    fc.assert(
      fc.property(fc.array(eventArb, { maxLength: 450 }), fc.integer({ min: 1, max: 300 }), (specs, size) => {
        const revisions = new Map<string, number>();
        const events: RecordedEvent[] = specs.map((spec, i) => {
          const revision = revisions.get(spec.stream) ?? 0;
          revisions.set(spec.stream, revision + 1);
          const data: Record<string, unknown> = { occurredAt: spec.occurredAt };
          if (spec.owner) {
            data.accountId = spec.owner;
            data.applicant = { accountId: spec.owner };
            data.uploaderAccountId = spec.owner;
          }
          return {
            id: `e${i}`,
            stream: spec.stream,
            revision,
            position: i + 1,
            type: spec.type,
            data,
            metadata: {},
            recordedAt: new Date(1_790_000_000_000 + i),
          };
        });
        const one = new Database(':memory:');
        const all = new Database(':memory:');
        try {
          const byEvent = auditLogProjection();
          byEvent.setup(one);
          for (const event of events) byEvent.apply(event);
          const byBatch = auditLogProjection();
          byBatch.setup(all);
          // In batches of any size, as the runner hands them over.
          for (let i = 0; i < events.length; i += size) byBatch.applyAll!(events.slice(i, i + size));
          expect(dump(all)).toEqual(dump(one));
        } finally {
          one.close();
          all.close();
        }
      }),
      { numRuns: 40 },
    );
  });
});

describe('applications projection', () => {
  const tables = (db: Database.Database) =>
    Object.fromEntries(
      APPLICATION_TABLES.map((table) => [table, db.prepare(`SELECT * FROM ${table} ORDER BY 1, 2`).all()]),
    );
  const at = (n: number) => new Date(1_790_000_000_000 + n * 1_000).toISOString();

  /** One application's events, in an order the domain allows or not: the projection must not care. */
  const stepArb = fc.record({
    app: fc.constantFrom('x1', 'x2', 'x3'),
    kind: fc.constantFrom('submit', 'assign', 'request', 'provide', 'approve', 'reject', 'withdraw', 'rate'),
    staff: fc.option(fc.constantFrom('Caseworker, DPGJC', 'Helpdesk'), { nil: undefined }),
  });

  function eventOf(step: { app: string; kind: string; staff: string | undefined }, i: number): RecordedEvent {
    const applicationId = step.app;
    const data = ((): { type: string; data: Record<string, unknown> } => {
      switch (step.kind) {
        case 'submit':
          return {
            type: 'ApplicationSubmitted',
            data: {
              applicationId,
              serviceId: 'birth-certificate',
              institution: 'DPGJC',
              applicant: { kind: 'CITIZEN', accountId: 'a1' },
              submittedAt: at(i),
              dueAt: at(i + 100),
              personal: { applicant: { displayName: 'Person', identifier: 'J00' }, formData: { copies: i } },
            },
          };
        case 'assign':
          return {
            type: 'ApplicationAssigned',
            data: { applicationId, assignee: 'Caseworker', assigneeAccountId: 'w1', assignedAt: at(i) },
          };
        case 'request':
          return {
            type: 'InformationRequested',
            data: { applicationId, requestedAt: at(i), message: 'more' },
          };
        case 'provide':
          return { type: 'InformationProvided', data: { applicationId, providedAt: at(i) } };
        case 'approve':
          return { type: 'ApplicationApproved', data: { applicationId, approvedAt: at(i), note: 'ok' } };
        case 'reject':
          return { type: 'ApplicationRejected', data: { applicationId, rejectedAt: at(i), reason: 'no' } };
        case 'withdraw':
          return { type: 'ApplicationWithdrawn', data: { applicationId, withdrawnAt: at(i) } };
        default:
          return { type: 'ServiceRated', data: { applicationId, stars: 4 } };
      }
    })();
    return {
      id: `e${i}`,
      stream: `application-${applicationId}`,
      revision: i,
      position: i + 1,
      ...data,
      metadata: step.staff ? { actor: { kind: 'STAFF', display: step.staff } } : {},
      recordedAt: new Date(1_790_000_000_000 + i),
    };
  }

  it('applyAll (timeline rows inserted together) writes exactly the rows apply writes event by event', () => {
    fc.assert(
      fc.property(fc.array(stepArb, { maxLength: 400 }), fc.integer({ min: 1, max: 250 }), (steps, size) => {
        const events = steps.map(eventOf);
        const one = new Database(':memory:');
        const all = new Database(':memory:');
        try {
          const byEvent = applicationsProjection();
          byEvent.setup(one);
          for (const event of events) byEvent.apply(event);
          const byBatch = applicationsProjection();
          byBatch.setup(all);
          for (let i = 0; i < events.length; i += size) byBatch.applyAll!(events.slice(i, i + size));
          expect(tables(all)).toEqual(tables(one));
        } finally {
          one.close();
          all.close();
        }
      }),
      { numRuns: 30 },
    );
  });
});
