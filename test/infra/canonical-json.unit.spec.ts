import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalJson, storedJson } from '../../src/infra/canonical-json.js';

/** The definition, written plainly: the hash chain's bytes must never change with a faster version. */
function reference(value: unknown): string {
  if (value === null || typeof value !== 'object') {
    const text = JSON.stringify(value);
    return text === undefined ? 'null' : text;
  }
  if (Array.isArray(value)) return `[${value.map(reference).join(',')}]`;
  if (value instanceof Date) return JSON.stringify(value.toISOString());
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${reference(v)}`).join(',')}}`;
}

const values = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    fc.jsonValue({ maxDepth: 2 }),
    fc.constant(undefined),
    fc.date({ noInvalidDate: true }),
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(
      fc.oneof(fc.string({ unit: 'binary', maxLength: 6 }), fc.constant('__proto__')),
      tie('value'),
      {
        maxKeys: 5,
      },
    ),
  ),
})).value;

describe('canonicalJson', () => {
  it('gives the bytes of its plain definition for any value (keys in any order, undefined, dates, non-ASCII keys)', () => {
    fc.assert(
      fc.property(values, (value) => {
        expect(canonicalJson(value)).toBe(reference(value));
      }),
      { numRuns: 500 },
    );
  });

  it('sorts keys at every depth and drops undefined members, as a stored-and-parsed copy would', () => {
    const value = { b: 1, a: { d: [3, undefined, { z: 1, y: 2 }], c: undefined }, é: 'ë', Z: null };
    expect(canonicalJson(value)).toBe('{"Z":null,"a":{"d":[3,null,{"y":2,"z":1}]},"b":1,"é":"ë"}');
    expect(canonicalJson(JSON.parse(JSON.stringify(value)))).toBe(canonicalJson(value));
  });
});

describe('values nested deeper than any recursion allows', () => {
  const nested = (depth: number) => {
    const root: Record<string, unknown> = {};
    let inner = root;
    for (let i = 1; i < depth; i += 1) {
      const next: Record<string, unknown> = { z: i };
      inner.a = [next];
      inner = next;
    }
    return root;
  };

  it('canonicalJson serialises 100,000 levels, and JSON.parse gives the same value back', () => {
    const deep = nested(100_000);
    const text = canonicalJson(deep);
    expect(text.startsWith('{"a":[{"a":[{"a":')).toBe(true);
    expect(canonicalJson(JSON.parse(text))).toBe(text);
  });

  it('storedJson is JSON.stringify where that works, and valid JSON of the same value where it overflows', () => {
    const shallow = { b: 1, a: [1, { c: 'x' }] };
    expect(storedJson(shallow)).toBe(JSON.stringify(shallow));
    const deep = nested(20_000);
    expect(() => JSON.stringify(deep)).toThrow(RangeError);
    expect(canonicalJson(JSON.parse(storedJson(deep)))).toBe(canonicalJson(deep));
  });
});
