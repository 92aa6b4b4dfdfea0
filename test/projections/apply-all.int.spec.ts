import Database from 'better-sqlite3';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { RecordedEvent } from '../../src/infra/eventstore/port.js';
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
