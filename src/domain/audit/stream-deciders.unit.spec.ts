import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { DeciderSpecification } from '../../../test/support/decider-spec.js';
import { CHECKPOINT_RECORDED, checkpointDecider, FIRST_DIGEST } from './checkpoint.js';
import { checksDecider } from './checks.js';
import { DataAccessRefused, dataAccessDecider } from './data-access.js';

const NOW = new Date('2026-12-04T10:00:00.000Z');
const digest = (value: unknown) => createHash('sha256').update(JSON.stringify(value)).digest('hex');

describe("a person's data-access log", () => {
  const given = DeciderSpecification.for(dataAccessDecider);
  const viewing = {
    subjectAccountId: 'a'.repeat(32),
    actor: 'Caseworker, DPGJC',
    role: 'CASEWORKER' as const,
    purpose: 'deciding the application',
    what: 'Application 1',
  };

  it('appends every reading, whatever the log held before', () => {
    const first = given([])
      .when({ type: 'RecordViewing', viewing, now: NOW })
      .then([expect.objectContaining({ type: 'PersonalDataViewed' })], null);
    given(first.events).when({ type: 'RecordViewing', viewing, now: NOW }).then(first.events, null);
  });

  it('refuses a purpose the log cannot take', () => {
    expect(() =>
      dataAccessDecider.decide(
        { type: 'RecordViewing', viewing: { ...viewing, purpose: 'x'.repeat(5000) }, now: NOW },
        null,
      ),
    ).toThrow(DataAccessRefused);
  });
});

describe('the audit-checks stream', () => {
  const given = DeciderSpecification.for(checksDecider);
  it('records a passed and a failed check as they came', () => {
    const passed = {
      check: 'CHAIN' as const,
      ok: true,
      checkedEvents: 10,
      lastPosition: 10,
      firstBrokenPosition: null,
      problem: null,
    };
    given([])
      .when({ type: 'RecordCheck', outcome: passed, now: NOW })
      .then(
        [
          {
            type: 'AuditVerificationPassed',
            data: { check: 'CHAIN', checkedEvents: 10, lastPosition: 10, occurredAt: NOW.toISOString() },
          },
        ],
        null,
      );
    const failed = { ...passed, ok: false, firstBrokenPosition: 7, problem: 'hash mismatch' };
    given([])
      .when({ type: 'RecordCheck', outcome: failed, now: NOW })
      .then(
        [
          {
            type: 'AuditVerificationFailed',
            data: {
              check: 'CHAIN',
              firstBrokenPosition: 7,
              problem: 'hash mismatch',
              checkedEvents: 10,
              occurredAt: NOW.toISOString(),
            },
          },
        ],
        null,
      );
  });
});

describe('the audit-checkpoints stream', () => {
  const given = DeciderSpecification.for(checkpointDecider);
  // A stand-in signature: the decider only stores what it is given, over the text it names.
  const sign = (text: string) => ({ keyId: 'k1', signature: `signed(${text.length})` });
  const head = (stream: string, revision: number, position: number) => ({
    stream,
    revision,
    hash: `h${position}`,
    position,
  });

  it('chains each checkpoint to the previous one and covers only what came after it', () => {
    const first = given([])
      .when({
        type: 'RecordCheckpoint',
        heads: [head('account-a', 0, 1), head('account-a', 1, 2)],
        position: 2,
        digest,
        sign,
        now: NOW,
      })
      .then(
        [expect.objectContaining({ type: CHECKPOINT_RECORDED })],
        expect.objectContaining({ number: 1, fromPosition: -1, eventCount: 2, previousDigest: FIRST_DIGEST }),
      );
    expect(first.outcome.heads).toEqual([head('account-a', 1, 2)]);
    const second = given(first.events)
      .when({
        type: 'RecordCheckpoint',
        heads: [head('account-a', 1, 2), head('document-d', 0, 3)],
        position: 3,
        digest,
        sign,
        now: NOW,
      })
      .then(
        [expect.objectContaining({ type: CHECKPOINT_RECORDED })],
        expect.objectContaining({ number: 2, fromPosition: 2, eventCount: 1 }),
      );
    expect(second.outcome.previousDigest).toBe(first.outcome.digest);
    expect(second.outcome.heads).toEqual([head('document-d', 0, 3)]);
  });
});
