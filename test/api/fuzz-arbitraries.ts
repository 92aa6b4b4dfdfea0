import fc from 'fast-check';
import {
  type GraphQLInputType,
  getNullableType,
  isEnumType,
  isInputObjectType,
  isListType,
  isNonNullType,
  isScalarType,
} from 'graphql';

/**
 * Arbitraries for GraphQL input values, derived from the argument's type alone, so a new field or
 * argument is fuzzed without anyone writing a line. Each mixes values a client would send with what
 * an attacker would: huge, empty, control characters, lone UTF-16 surrogates, mixed scripts,
 * numbers at the edges, the wrong type, deeply nested JSON, and null where it is not allowed.
 */

const loneSurrogate = fc.integer({ min: 0xd800, max: 0xdfff }).map((c) => String.fromCharCode(c));
const control = fc.integer({ min: 0, max: 0x1f }).map((c) => String.fromCharCode(c));
const bidi = fc.constantFrom('\u202e', '\u202d', '\u2066', '\u200f', '\u200b', '\ufeff');

/** Values the portal's own inputs look like: they take the use cases past their first checks. */
const PLAUSIBLE = [
  'J00101999W',
  'L12345678A',
  '012345678',
  'a@example.al',
  '+355691234567',
  'lule-bore-ne-mal-2026',
  '123456',
  '000000',
  'DPGJC',
  'DPGJC-PERSONAL-CERTIFICATE',
  'DKM-RESIDENCE-PERMIT',
  'CASEWORKER',
  'ADMIN',
  'SUBMITTED',
  '2026-11-27T08:00:00.000Z',
  '00000000-0000-4000-8000-000000000000',
  'TC-AAAAA-AAAAA-AAAAA-AAAAA-AAAAA',
  'IT1234567',
  'DE',
  'Emri i gjyshes?',
];
/** Scripts side by side, combining marks, emoji and a right-to-left override. */
const MIXED = [
  'Ελληνικά',
  'العربية',
  '中文',
  'Shqipëri ç',
  'e\u0301\u0301\u0301',
  '👩‍👩‍👧',
  'Ｊ００１',
  'invoice\u202efdp.exe',
];

const pieces = fc.oneof(
  { weight: 4, arbitrary: fc.string({ maxLength: 20 }) },
  { weight: 2, arbitrary: fc.string({ unit: 'grapheme', maxLength: 10 }) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 10 }) },
  { weight: 2, arbitrary: loneSurrogate },
  { weight: 2, arbitrary: control },
  { weight: 1, arbitrary: bidi },
  { weight: 3, arbitrary: fc.constantFrom(...PLAUSIBLE) },
  { weight: 2, arbitrary: fc.constantFrom(...MIXED) },
);

/**
 * Long enough for every bound the API has, kept (with JSON's six-byte escapes) under the 1 MiB body
 * limit: a body over it is the HTTP layer's refusal (issue 13, item 2), not an operation's.
 */
const huge = fc.oneof(
  fc
    .tuple(
      fc.constantFrom(65, 101, 257, 1_001, 4_097, 20_001),
      fc.constantFrom('a', 'ë', '7', '\u0000', '😀'),
    )
    .map(([n, c]) => c.repeat(n)),
  fc.constant('a'.repeat(100_001)),
);

export const stringValue: fc.Arbitrary<string> = fc.oneof(
  { weight: 1, arbitrary: fc.constant('') },
  { weight: 1, arbitrary: fc.constantFrom(' ', '\t\n', '   x   ') },
  { weight: 6, arbitrary: fc.array(pieces, { maxLength: 4 }).map((parts) => parts.join('')) },
  { weight: 4, arbitrary: fc.constantFrom(...PLAUSIBLE) },
  { weight: 1, arbitrary: huge },
);

export const intValue: fc.Arbitrary<number> = fc.oneof(
  fc.integer({ min: -3, max: 600 }),
  fc.constantFrom(0, -0, 1, -1, 5, 6, 2_147_483_647, -2_147_483_648),
  fc.integer(),
);

/**
 * Arrays or objects nested thousands deep: JSON at the edge of every parser and walker. Kept as its
 * text, because the test's own JSON.stringify would overflow its stack on such a value; requestBody
 * splices the text in.
 */
export class DeepJson {
  constructor(
    readonly depth: number,
    readonly objects: boolean,
  ) {}
  get text(): string {
    return this.objects
      ? `${'{"a":'.repeat(this.depth)}"leaf"${'}'.repeat(this.depth)}`
      : `${'['.repeat(this.depth)}"leaf"${']'.repeat(this.depth)}`;
  }
  toString(): string {
    return `DeepJson(${this.objects ? 'objects' : 'arrays'} ${this.depth} deep)`;
  }
}
const deepJson = fc
  .tuple(fc.constantFrom(100, 1_000, 5_000), fc.boolean())
  .map(([depth, objects]) => new DeepJson(depth, objects));

const DEEP_MARK = /"\\u0000deep-(\d+)\\u0000"/g;

/** A request body holding any of the values above, DeepJson spliced in as its text. */
export function requestBody(body: unknown): string {
  const deep: DeepJson[] = [];
  const text = JSON.stringify(body, (_key, value) => {
    if (!(value instanceof DeepJson)) return value;
    deep.push(value);
    return `\u0000deep-${deep.length - 1}\u0000`;
  });
  return text.replace(DEEP_MARK, (_match, i: string) => deep[Number(i)]!.text);
}

export const jsonValue: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 4, arbitrary: fc.jsonValue({ maxDepth: 4 }) },
  { weight: 2, arbitrary: fc.dictionary(stringValue, fc.jsonValue({ maxDepth: 2 }), { maxKeys: 5 }) },
  { weight: 1, arbitrary: deepJson },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      1e308,
      -1e308,
      2 ** 53 + 1,
      Number.MIN_VALUE,
      // Keys named like the prototype's are left out: fastify's JSON parser refuses such a body as a
      // whole (secure-json-parse), which is the HTTP layer's refusal (issue 13, item 2).
      { toString: 'x', valueOf: { hasOwnProperty: 1 } },
    ),
  },
);

/** Anything at all: what a client sends in place of the right type. */
export const wrongType: fc.Arbitrary<unknown> = fc.oneof(
  fc.constant(null),
  fc.boolean(),
  fc.double(),
  fc.constantFrom(2 ** 31, -(2 ** 31) - 1, 1.5, 1e308, -1e-308),
  stringValue,
  fc.array(fc.integer(), { maxLength: 3 }),
  fc.dictionary(fc.string({ maxLength: 5 }), fc.integer(), { maxKeys: 3 }),
  deepJson,
);

const dateTime = fc.oneof(
  fc
    .date({ min: new Date(-8.64e15), max: new Date(8.64e15), noInvalidDate: true })
    .map((d) => d.toISOString()),
  fc.constantFrom(
    '2026-11-27T08:00:00.000Z',
    '1970-01-01T00:00:00Z',
    '9999-12-31T23:59:59.999Z',
    '0',
    'now',
    '',
  ),
  stringValue,
);

/** A value for a GraphQL input type, with the wrong type or null now and then. */
export function valueFor(type: GraphQLInputType, depth = 0): fc.Arbitrary<unknown> {
  const right = rightTypeFor(getNullableType(type) as GraphQLInputType, depth);
  return fc.oneof(
    { weight: 12, arbitrary: right },
    { weight: 1, arbitrary: wrongType },
    { weight: isNonNullType(type) ? 1 : 2, arbitrary: fc.constant(null) },
  );
}

function rightTypeFor(type: GraphQLInputType, depth: number): fc.Arbitrary<unknown> {
  if (isListType(type)) {
    const item = valueFor(type.ofType as GraphQLInputType, depth + 1);
    return fc.oneof(
      { weight: 6, arbitrary: fc.array(item, { maxLength: 4 }) },
      { weight: 1, arbitrary: fc.array(item, { minLength: 60, maxLength: 200 }) },
      // A single value where a list is expected: GraphQL coerces it to a list of one.
      { weight: 1, arbitrary: item },
    );
  }
  if (isEnumType(type)) {
    const names = type.getValues().map((v) => v.name);
    return fc.oneof(
      { weight: 5, arbitrary: fc.constantFrom(...names) },
      { weight: 1, arbitrary: stringValue },
    );
  }
  if (isInputObjectType(type)) {
    if (depth > 3) return fc.constant({});
    const fields = Object.values(type.getFields());
    const model = Object.fromEntries(fields.map((f) => [f.name, valueFor(f.type, depth + 1)]));
    const required = fields.filter((f) => isNonNullType(f.type)).map((f) => f.name);
    return fc.oneof(
      { weight: 6, arbitrary: fc.record(model, { requiredKeys: required }) },
      { weight: 1, arbitrary: fc.record(model, { requiredKeys: [] }) },
      {
        weight: 1,
        arbitrary: fc
          .tuple(
            fc.record(model, { requiredKeys: required }),
            fc.dictionary(stringValue, wrongType, { maxKeys: 2 }),
          )
          .map(([known, extra]) => ({ ...extra, ...known })),
      },
    );
  }
  if (isScalarType(type)) {
    switch (type.name) {
      case 'Int':
        return intValue;
      case 'Float':
        return fc.double();
      case 'Boolean':
        return fc.boolean();
      case 'ID':
        return fc.oneof({ weight: 5, arbitrary: stringValue }, { weight: 1, arbitrary: intValue });
      case 'DateTime':
        return dateTime;
      case 'JSON':
        return jsonValue;
      default:
        return stringValue;
    }
  }
  return wrongType;
}
