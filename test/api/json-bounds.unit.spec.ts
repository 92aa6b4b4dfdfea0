import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { nestsDeeperThan } from '../../src/api/json-bounds.js';

/** The depth the recursive definition gives (fine for the shallow values generated here). */
function depthOf(value: unknown): number {
  if (value === null || typeof value !== 'object') return 0;
  const children = Array.isArray(value) ? value : Object.values(value);
  return 1 + Math.max(0, ...children.map(depthOf));
}

describe('nestsDeeperThan: the depth bound of JSON inputs', () => {
  it('agrees with the recursive depth on any JSON value and limit', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 8 }), fc.integer({ min: 0, max: 10 }), (value, limit) => {
        expect(nestsDeeperThan(value, limit)).toBe(depthOf(value) > limit);
      }),
      { seed: 42, numRuns: 500 },
    );
  });

  it('walks a value nested 100,000 deep without overflowing, and says so', () => {
    let value: unknown = 'leaf';
    for (let i = 0; i < 100_000; i += 1) value = i % 2 ? { a: value } : [value];
    expect(nestsDeeperThan(value, 32)).toBe(true);
    expect(nestsDeeperThan([[{ a: [1] }]], 4)).toBe(false);
    expect(nestsDeeperThan([[{ a: [1] }]], 3)).toBe(true);
  });
});
