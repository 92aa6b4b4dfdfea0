import type { Decider } from '../shared/decider.js';
import type { DomainEvent } from '../shared/events.js';
import { auditChecksStream } from '../shared/streams.js';
import { CHECKPOINT_STREAM } from './checkpoint.js';

/** Where scheduled verification outcomes are recorded. */
export const CHECKS_STREAM = auditChecksStream;

export type AuditCheckKind = 'CHAIN' | 'REPLAY';

export type AuditCheckEvent =
  | DomainEvent<
      'AuditVerificationPassed',
      { check: AuditCheckKind; checkedEvents: number; lastPosition: number; occurredAt: string }
    >
  | DomainEvent<
      'AuditVerificationFailed',
      {
        check: AuditCheckKind;
        firstBrokenPosition: number | null;
        problem: string;
        checkedEvents: number;
        occurredAt: string;
      }
    >;

export interface CheckOutcome {
  check: AuditCheckKind;
  ok: boolean;
  checkedEvents: number;
  lastPosition: number;
  firstBrokenPosition: number | null;
  problem: string | null;
}

export function recordCheck(outcome: CheckOutcome, now: Date): AuditCheckEvent {
  const occurredAt = now.toISOString();
  if (outcome.ok)
    return {
      type: 'AuditVerificationPassed',
      data: {
        check: outcome.check,
        checkedEvents: outcome.checkedEvents,
        lastPosition: outcome.lastPosition,
        occurredAt,
      },
    };
  return {
    type: 'AuditVerificationFailed',
    data: {
      check: outcome.check,
      firstBrokenPosition: outcome.firstBrokenPosition,
      problem: outcome.problem ?? 'unknown',
      checkedEvents: outcome.checkedEvents,
      occurredAt,
    },
  };
}

/** Streams the audit itself writes: their events never call for a new checkpoint by themselves. */
export function isAuditOwnStream(stream: string): boolean {
  return stream === CHECKPOINT_STREAM || stream === CHECKS_STREAM;
}

export type AuditCheckCommand = { type: 'RecordCheck'; outcome: CheckOutcome; now: Date };

/** The audit-checks stream only records outcomes: nothing is decided from what it held before. */
export const checksDecider: Decider<AuditCheckCommand, null, AuditCheckEvent, null> = {
  name: 'audit-checks-append-only',
  initialState: () => null,
  evolve: (state) => state,
  decide: (command) => ({ events: [recordCheck(command.outcome, command.now)], outcome: null }),
};
