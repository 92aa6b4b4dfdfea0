import fc from 'fast-check';
import { buildSchema, parse, specifiedRules, validate } from 'graphql';
import { describe, expect, it } from 'vitest';
import {
  MAX_DEPTH,
  MAX_INTROSPECTION_ROOTS,
  MAX_ROOT_FIELDS,
  queryLimits,
} from '../../src/api/query-cost.js';

// A small schema with a cycle (a person's parent is a person), so depth is only bounded by the rule.
const schema = buildSchema(`
  type Person { name: String parent: Person }
  type Query { me: Person services: [String] }
  type Mutation { ping: String }
`);

const errorsOf = (source: string) =>
  validate(schema, parse(source), [...specifiedRules, ...queryLimits(false)]).map((e) => e.message);

/** The same root fields, selected directly, through inline fragments, or through named fragments. */
const wrappings = {
  plain: (fields: string[]) => `{ ${fields.join(' ')} }`,
  inlineOnQuery: (fields: string[]) => `{ ... on Query { ${fields.join(' ')} } }`,
  inlineUntyped: (fields: string[]) => `{ ... { ${fields.join(' ')} } }`,
  spread: (fields: string[]) => `{ ...Roots } fragment Roots on Query { ${fields.join(' ')} }`,
  nested: (fields: string[]) =>
    `{ ...A } fragment A on Query { ... on Query { ...B } } fragment B on Query { ${fields.join(' ')} }`,
};

const roots = (n: number) => Array.from({ length: n }, (_, i) => `a${i}: services`);

describe('the request limits (validation rules)', () => {
  it.each(Object.entries(wrappings))(
    'counts top-level fields after fragments are resolved (%s)',
    (_name, wrap) => {
      expect(errorsOf(wrap(roots(MAX_ROOT_FIELDS)))).toEqual([]);
      expect(errorsOf(wrap(roots(MAX_ROOT_FIELDS + 1)))).toEqual([
        `A request may select at most ${MAX_ROOT_FIELDS} top-level fields.`,
      ]);
    },
  );

  it('counts mutation roots hidden in `... on Mutation` the same way', () => {
    const pings = Array.from({ length: MAX_ROOT_FIELDS + 1 }, (_, i) => `p${i}: ping`).join(' ');
    expect(errorsOf(`mutation { ... on Mutation { ${pings} } }`)).toHaveLength(1);
  });

  it('refuses exactly the documents over the root limit, however the roots are split among fragments', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: MAX_ROOT_FIELDS * 2 }),
        fc.array(fc.constantFrom(...Object.keys(wrappings)), { minLength: 1, maxLength: 4 }),
        (count, kinds) => {
          // Split the roots into as many parts as kinds, each part wrapped its own way.
          const fields = roots(count);
          const size = Math.ceil(count / kinds.length);
          const parts = kinds.map((_, i) => fields.slice(i * size, (i + 1) * size)).filter((p) => p.length);
          const fragments: string[] = [];
          const selections = parts.map((part, i) => {
            const kind = kinds[i] as keyof typeof wrappings;
            if (kind === 'plain') return part.join(' ');
            if (kind === 'spread' || kind === 'nested') {
              fragments.push(`fragment F${i} on Query { ${part.join(' ')} }`);
              return `...F${i}`;
            }
            return `... on Query { ${part.join(' ')} }`;
          });
          const refused = errorsOf(`{ ${selections.join(' ')} } ${fragments.join(' ')}`).length > 0;
          expect(refused).toBe(count > MAX_ROOT_FIELDS);
        },
      ),
      { seed: 13, numRuns: 200 },
    );
  });

  it('bounds the depth of ordinary fields, through fragments too', () => {
    const nested = (depth: number) => {
      let selection = 'name';
      for (let i = 1; i < depth; i++) selection = `parent { ${selection} }`;
      return selection;
    };
    // me is one level, then MAX_DEPTH - 1 more.
    expect(errorsOf(`{ me { ${nested(MAX_DEPTH - 1)} } }`)).toEqual([]);
    expect(errorsOf(`{ me { ${nested(MAX_DEPTH)} } }`)).toEqual([
      `A request may nest fields at most ${MAX_DEPTH} deep.`,
    ]);
    expect(errorsOf(`{ me { ...P } } fragment P on Person { ${nested(MAX_DEPTH)} }`)).toHaveLength(1);
  });

  it('lets introspection be deeper than operations, and bounds how often it is asked', () => {
    let selection = 'name';
    for (let i = 0; i < MAX_DEPTH + 3; i++) selection = `ofType { ${selection} }`;
    expect(errorsOf(`{ __schema { types { ${selection} } } }`)).toEqual([]);
    const many = Array.from(
      { length: MAX_INTROSPECTION_ROOTS + 1 },
      (_, i) => `s${i}: __schema { description }`,
    );
    expect(errorsOf(`{ ${many.join(' ')} }`)).toHaveLength(1);
  });
});
