import {
  type ASTVisitor,
  type FragmentDefinitionNode,
  GraphQLError,
  Kind,
  NoSchemaIntrospectionCustomRule,
  type SelectionNode,
  type ValidationContext,
  type ValidationRule,
} from 'graphql';

/**
 * Limits on what one request may ask for. Aliases let a single anonymous request repeat an expensive
 * field thousands of times (measured: 5,000 aliased `services` blocked the event loop for 0.7 s and
 * answered 17 MB), so every selected field counts, fragments included each time they are spread.
 * Top-level fields are counted the same way: `... on Query { }` and fragment spreads are resolved
 * first, so they cannot hide roots from the limit.
 */
export const MAX_FIELDS = 400;
export const MAX_ROOT_FIELDS = 20;
export const MAX_DEPTH = 10;

/**
 * Introspection has limits of its own: the standard introspection query (graphql-js
 * `getIntrospectionQuery()`, what GraphiQL, Code Generator and Apollo send) nests its `ofType`
 * chain 15 deep and selects about 200 fields once its fragments are resolved. It reads only the
 * schema held in memory, so it is bounded by these rather than by the operations' depth limit.
 */
export const MAX_INTROSPECTION_DEPTH = 20;
export const MAX_INTROSPECTION_FIELDS = 1000;
export const MAX_INTROSPECTION_ROOTS = 2;

const INTROSPECTION_ROOTS = new Set(['__schema', '__type']);

/** What an operation selects, with fragments resolved: fields counted, deepest path measured. */
interface Tally {
  roots: number;
  fields: number;
  depth: number;
  introspectionRoots: number;
  introspectionFields: number;
  introspectionDepth: number;
}

/** Stops walking once any count is past every limit it could break: a bounded walk for any input. */
const overBudget = (t: Tally) =>
  t.fields > MAX_FIELDS ||
  t.introspectionFields > MAX_INTROSPECTION_FIELDS ||
  t.roots > MAX_ROOT_FIELDS ||
  t.introspectionRoots > MAX_INTROSPECTION_ROOTS;

function tally(selections: readonly SelectionNode[], fragments: Map<string, FragmentDefinitionNode>): Tally {
  const t: Tally = {
    roots: 0,
    fields: 0,
    depth: 0,
    introspectionRoots: 0,
    introspectionFields: 0,
    introspectionDepth: 0,
  };
  const visiting = new Set<string>();
  // depth: fields above this selection set; introspection: inside __schema/__type (then its depth).
  const walk = (nodes: readonly SelectionNode[], depth: number, introspection: number | null): void => {
    for (const selection of nodes) {
      if (overBudget(t)) return;
      if (selection.kind === Kind.FIELD) {
        const name = selection.name.value;
        const opensIntrospection = introspection === null && INTROSPECTION_ROOTS.has(name);
        if (depth === 0) {
          if (opensIntrospection) t.introspectionRoots += 1;
          else if (name !== '__typename') t.roots += 1;
        }
        const inside = opensIntrospection ? 1 : introspection === null ? null : introspection + 1;
        if (inside === null) {
          t.fields += 1;
          t.depth = Math.max(t.depth, depth + 1);
        } else {
          t.introspectionFields += 1;
          t.introspectionDepth = Math.max(t.introspectionDepth, inside);
        }
        if (selection.selectionSet) walk(selection.selectionSet.selections, depth + 1, inside);
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        walk(selection.selectionSet.selections, depth, introspection);
      } else {
        const name = selection.name.value;
        const fragment = fragments.get(name);
        // A fragment spreading itself is reported by graphql's own rules; do not loop on it.
        if (!fragment || visiting.has(name)) continue;
        visiting.add(name);
        walk(fragment.selectionSet.selections, depth, introspection);
        visiting.delete(name);
      }
    }
  };
  walk(selections, 0, null);
  return t;
}

/** The first limit a tally breaks, as the sentence the client reads; null when within all. */
function refusal(t: Tally): string | null {
  if (t.roots > MAX_ROOT_FIELDS) return `A request may select at most ${MAX_ROOT_FIELDS} top-level fields.`;
  if (t.fields > MAX_FIELDS) return `A request may select at most ${MAX_FIELDS} fields.`;
  if (t.depth > MAX_DEPTH) return `A request may nest fields at most ${MAX_DEPTH} deep.`;
  if (t.introspectionRoots > MAX_INTROSPECTION_ROOTS)
    return `A request may hold at most ${MAX_INTROSPECTION_ROOTS} introspection fields (__schema, __type).`;
  if (t.introspectionFields > MAX_INTROSPECTION_FIELDS)
    return `An introspection may select at most ${MAX_INTROSPECTION_FIELDS} fields.`;
  if (t.introspectionDepth > MAX_INTROSPECTION_DEPTH)
    return `An introspection may nest fields at most ${MAX_INTROSPECTION_DEPTH} deep.`;
  return null;
}

function costRule(context: ValidationContext): ASTVisitor {
  const fragments = new Map(
    context
      .getDocument()
      .definitions.filter((d) => d.kind === Kind.FRAGMENT_DEFINITION)
      .map((d) => [d.name.value, d]),
  );
  return {
    OperationDefinition(operation) {
      const refused = refusal(tally(operation.selectionSet.selections, fragments));
      if (refused) context.reportError(new GraphQLError(refused, { nodes: operation }));
    },
  };
}

/** The validation rules added to graphql's own; introspection is only for development. */
export function queryLimits(production: boolean): ValidationRule[] {
  return production ? [costRule, NoSchemaIntrospectionCustomRule] : [costRule];
}
