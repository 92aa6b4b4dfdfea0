import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { REQUEST_ID, requestIdOf } from '../../src/api/request-id.js';

const wellFormed = fc.stringMatching(/^[A-Za-z0-9._-]{1,64}$/);
const header = fc.option(
  fc.oneof(wellFormed, fc.string({ maxLength: 100 }), fc.string({ unit: 'binary', maxLength: 80 })),
  {
    nil: undefined,
  },
);

describe('requestIdOf', () => {
  it('always gives a plain short token: the caller’s own exactly when well formed, x-request-id first', () => {
    fc.assert(
      fc.property(header, header, (requestId, correlationId) => {
        const headers: Record<string, string> = {};
        if (requestId !== undefined) headers['x-request-id'] = requestId;
        if (correlationId !== undefined) headers['x-correlation-id'] = correlationId;
        const id = requestIdOf({ headers });
        expect(id).toMatch(REQUEST_ID);
        const offered = requestId !== undefined ? requestId : correlationId;
        if (offered !== undefined && REQUEST_ID.test(offered)) expect(id).toBe(offered);
        else expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      }),
      { numRuns: 500 },
    );
  });
});
