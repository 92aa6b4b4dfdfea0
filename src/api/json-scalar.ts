import { GraphQLError, GraphQLScalarType, Kind, type ValueNode, valueFromASTUntyped } from 'graphql';
import type { FeatureResolvers } from './resolvers/index.js';

/**
 * The JSON scalar (formData, and any JSON input to come), bounded at the edge: a form is a few levels
 * deep and a few kilobytes. Unbounded nesting breaks everything recursive downstream (JSON.stringify,
 * structured clones, redaction), so such input is refused before any resolver sees it, with
 * BAD_USER_INPUT (a GraphQLError without an original error: src/api/graphql.ts maps it so).
 */
export const MAX_JSON_DEPTH = 20;
/** Characters of the value's JSON text. */
export const MAX_JSON_TEXT = 20_000;

const refused = (why: string) => new GraphQLError(`JSON input refused: ${why}.`);
const tooDeep = () => refused(`nested deeper than ${MAX_JSON_DEPTH} levels`);

/** Depth of a parsed value, counted without recursion and abandoned as soon as it exceeds the bound. */
function withinDepth(value: unknown): boolean {
  const stack: Array<{ value: unknown; depth: number }> = [{ value, depth: 1 }];
  while (stack.length > 0) {
    const { value: current, depth } = stack.pop()!;
    if (current === null || typeof current !== 'object') continue;
    if (depth > MAX_JSON_DEPTH) return false;
    for (const inner of Object.values(current as Record<string, unknown>))
      if (inner !== null && typeof inner === 'object') stack.push({ value: inner, depth: depth + 1 });
  }
  return true;
}

function checked(value: unknown): unknown {
  if (!withinDepth(value)) throw tooDeep();
  // Safe to serialise now: the depth is bounded.
  const text = JSON.stringify(value);
  if (text !== undefined && text.length > MAX_JSON_TEXT)
    throw refused(`longer than ${MAX_JSON_TEXT} characters`);
  return value;
}

/** The same bound on a value written in the document, checked on its syntax tree without recursion. */
function literalWithinDepth(node: ValueNode): boolean {
  const stack: Array<{ node: ValueNode; depth: number }> = [{ node, depth: 1 }];
  while (stack.length > 0) {
    const { node: current, depth } = stack.pop()!;
    const inner =
      current.kind === Kind.OBJECT
        ? current.fields.map((field) => field.value)
        : current.kind === Kind.LIST
          ? current.values
          : null;
    if (!inner) continue;
    if (depth > MAX_JSON_DEPTH) return false;
    for (const child of inner) stack.push({ node: child, depth: depth + 1 });
  }
  return true;
}

export const JsonScalar = new GraphQLScalarType({
  name: 'JSON',
  description:
    'Any JSON value (an object for formData and registry readings), bounded in depth and size (BAD_USER_INPUT beyond).',
  serialize: (value) => value,
  parseValue: checked,
  parseLiteral(node, variables) {
    if (!literalWithinDepth(node)) throw tooDeep();
    return checked(valueFromASTUntyped(node, variables));
  },
});

export const jsonScalarResolvers: FeatureResolvers = { JSON: JsonScalar } as unknown as FeatureResolvers;
