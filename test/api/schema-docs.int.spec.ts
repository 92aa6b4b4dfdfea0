import {
  buildSchema,
  type GraphQLSchema,
  isEnumType,
  isInputObjectType,
  isInterfaceType,
  isIntrospectionType,
  isObjectType,
  isSpecifiedScalarType,
} from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Access, ROLE_GATES } from '../../src/app/access/role-gates.js';
import { startTestApp, type TestApp } from '../support/harness.js';
import { rootFields } from './schema-operations.js';

/** Every type, field, argument, input field and enum value without a description, by its schema path. */
function undocumented(schema: GraphQLSchema): string[] {
  const missing: string[] = [];
  const need = (path: string, description: string | null | undefined) => {
    if (!description?.trim()) missing.push(path);
  };
  for (const type of Object.values(schema.getTypeMap())) {
    if (isIntrospectionType(type) || isSpecifiedScalarType(type)) continue;
    need(type.name, type.description);
    if (isObjectType(type) || isInterfaceType(type)) {
      for (const field of Object.values(type.getFields())) {
        need(`${type.name}.${field.name}`, field.description);
        for (const arg of field.args) need(`${type.name}.${field.name}(${arg.name})`, arg.description);
      }
    } else if (isInputObjectType(type)) {
      for (const field of Object.values(type.getFields()))
        need(`${type.name}.${field.name}`, field.description);
    } else if (isEnumType(type)) {
      for (const value of type.getValues()) need(`${type.name}.${value.name}`, value.description);
    }
  }
  return missing.sort();
}

describe('the served schema is documented (what it is, who may call it, which errors it answers)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => {
    await t?.close();
  });

  it('has a description on every type, field, argument, input field and enum value', () => {
    expect(undocumented(t.app.graphql.schema)).toEqual([]);
  });

  it('would name what lacks one', () => {
    const schema = buildSchema(`
      "documented" type Query { "documented" a(x: Int, "documented" y: Int): E  b: Int }
      enum E { "documented" ONE TWO }
      input I { "documented" c: Int }
    `);
    expect(undocumented(schema)).toEqual(['E', 'E.TWO', 'I', 'Query.a(x)', 'Query.b']);
  });

  it('says on each gated root field who may call it and how others are refused, as the access table does', () => {
    for (const root of rootFields(t.app.graphql.schema)) {
      const row: Access = ROLE_GATES[root.name as keyof typeof ROLE_GATES];
      const description = root.field.description ?? '';
      if (row.refusal === 'ROLE') {
        for (const role of row.callers) expect(description, root.name).toContain(role);
        expect(description, root.name).toContain('FORBIDDEN');
      }
      if (row.refusal === 'ROLE' || row.refusal === 'SESSION')
        expect(description, root.name).toContain('UNAUTHENTICATED');
    }
  });
});
