import {
  type GraphQLArgument,
  type GraphQLField,
  type GraphQLNamedType,
  type GraphQLSchema,
  getNamedType,
  isAbstractType,
  isInterfaceType,
  isLeafType,
  isObjectType,
} from 'graphql';

export type RootType = 'Query' | 'Mutation' | 'Subscription';

export interface RootField {
  on: RootType;
  name: string;
  field: GraphQLField<unknown, unknown>;
}

/** Every field of the schema's Query, Mutation and Subscription types, as the server serves them. */
export function rootFields(schema: GraphQLSchema): RootField[] {
  const roots: Array<[RootType, ReturnType<GraphQLSchema['getQueryType']>]> = [
    ['Query', schema.getQueryType()],
    ['Mutation', schema.getMutationType()],
    ['Subscription', schema.getSubscriptionType()],
  ];
  return roots.flatMap(([on, type]) =>
    type ? Object.values(type.getFields()).map((field) => ({ on, name: field.name, field })) : [],
  );
}

/**
 * A selection of every field of the type down to `depth` levels (leaves only at the last level), so
 * an answer exercises the output resolvers too. Abstract types select each member's fields.
 */
export function selectionOf(schema: GraphQLSchema, type: GraphQLNamedType, depth: number): string {
  if (isLeafType(type)) return '';
  const fieldsOf = (object: GraphQLNamedType): string => {
    if (!isObjectType(object) && !isInterfaceType(object)) return '';
    const parts: string[] = [];
    for (const field of Object.values(object.getFields())) {
      // Fields with required arguments are skipped: no value for them is known here.
      if (field.args.some((a) => a.type.toString().endsWith('!') && a.defaultValue === undefined)) continue;
      const named = getNamedType(field.type);
      if (isLeafType(named)) parts.push(field.name);
      else if (depth > 1) {
        const inner = selectionOf(schema, named, depth - 1);
        if (inner) parts.push(`${field.name} ${inner}`);
      }
    }
    return parts.join(' ');
  };
  if (isAbstractType(type)) {
    const members = schema.getPossibleTypes(type).map((m) => {
      const inner = fieldsOf(m);
      return inner ? `... on ${m.name} { ${inner} }` : '';
    });
    return `{ __typename ${members.join(' ')} }`;
  }
  const inner = fieldsOf(type);
  return `{ __typename ${inner} }`;
}

/**
 * The document that calls one root field with every argument as a variable ($name), so the caller
 * chooses which to send; an argument left out of the variables is not given.
 */
export function documentOf(schema: GraphQLSchema, root: RootField, depth = 4): string {
  const keyword = root.on === 'Query' ? 'query' : root.on === 'Mutation' ? 'mutation' : 'subscription';
  const variables = root.field.args.map((a: GraphQLArgument) => `$${a.name}: ${a.type.toString()}`);
  const args = root.field.args.map((a) => `${a.name}: $${a.name}`);
  const selection = selectionOf(schema, getNamedType(root.field.type), depth);
  return `${keyword} Call${variables.length ? `(${variables.join(', ')})` : ''} { ${root.name}${
    args.length ? `(${args.join(', ')})` : ''
  } ${selection} }`;
}
