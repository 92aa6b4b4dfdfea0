import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  accountStream,
  applicationStream,
  attemptsStream,
  auditCheckpointsStream,
  auditChecksStream,
  dataAccessStream,
  documentStream,
  idOfStream,
  parseStream,
  STREAM_KINDS,
  type StreamKind,
} from '../../src/domain/shared/streams.js';

const BUILD: Record<StreamKind, (id: string) => string> = {
  account: accountStream,
  attempts: attemptsStream,
  'data-access': dataAccessStream,
  application: applicationStream,
  document: documentStream,
};

// Ids as the portal makes them: hex account ids, UUIDs, and a foreign national's `application-<uuid>` subject.
const id = fc.oneof(
  fc.string({ unit: fc.constantFrom(...'0123456789abcdef'), minLength: 1, maxLength: 32 }),
  fc.uuid(),
  fc.uuid().map((u) => `application-${u}`),
);

describe('stream names: built and read in one module', () => {
  it('reads back the kind and id of every name it builds', () => {
    fc.assert(
      fc.property(fc.constantFrom(...STREAM_KINDS), id, (kind, value) => {
        expect(parseStream(BUILD[kind](value))).toEqual({ kind, id: value });
        expect(idOfStream(BUILD[kind](value), kind)).toBe(value);
      }),
      { seed: 20261204, numRuns: 500 },
    );
  });

  it("a foreign national's data-access log is not read as an application stream", () => {
    expect(parseStream(dataAccessStream('application-1234'))).toEqual({
      kind: 'data-access',
      id: 'application-1234',
    });
  });

  it('names no other stream', () => {
    for (const other of ['audit-checkpoints', 'audit-checks', 'account-', '$all', 'accounts-x'])
      expect(parseStream(other)).toBeNull();
  });

  it("the audit's own streams keep their fixed names, which read back as no one's", () => {
    expect([auditCheckpointsStream, auditChecksStream]).toEqual(['audit-checkpoints', 'audit-checks']);
    expect(parseStream(auditCheckpointsStream)).toBeNull();
    expect(parseStream(auditChecksStream)).toBeNull();
  });
});
