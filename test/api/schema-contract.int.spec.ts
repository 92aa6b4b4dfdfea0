import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type Change, CriticalityLevel, diff } from '@graphql-inspector/core';
import { buildSchema, type GraphQLSchema } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/harness.js';

/**
 * The schema the app serves may extend the contract freely but never break it: front ends and outside
 * tests are written against ../shared/contract/schema.graphql. The contract lives beside the repo
 * (as CI lays it out); a clone without it says so instead of passing quietly.
 */
const contractFile = join(import.meta.dirname, '..', '..', '..', 'shared', 'contract', 'schema.graphql');
const haveContract = existsSync(contractFile);

const breaking = (changes: Change[]) =>
  changes.filter((c) => c.criticality.level === CriticalityLevel.Breaking).map((c) => c.message);

describe.skipIf(!haveContract)(
  'the served schema against the contract (../shared/contract/schema.graphql)',
  () => {
    let t: TestApp;
    let contract: GraphQLSchema;
    let served: GraphQLSchema;

    beforeAll(async () => {
      t = await startTestApp();
      contract = buildSchema(readFileSync(contractFile, 'utf8'));
      served = t.app.graphql.schema;
    });
    afterAll(async () => {
      await t?.close();
    });

    it('has no breaking change', async () => {
      expect(breaking(await diff(contract, served))).toEqual([]);
    });

    it('would see one: a field of the contract missing from the served schema', async () => {
      const text = readFileSync(contractFile, 'utf8');
      const cut = text.replace(
        'type AccountLocked { lockedUntil: DateTime! }',
        'type AccountLocked { until: DateTime! }',
      );
      expect(cut).not.toBe(text);
      expect(breaking(await diff(contract, buildSchema(cut)))).toEqual([
        expect.stringContaining("'lockedUntil' was removed from object type 'AccountLocked'"),
      ]);
    });
  },
);

if (!haveContract) {
  describe('the served schema against the contract', () => {
    it.skip(`skipped: ${contractFile} is not beside this clone (CI lays shared/ beside it)`, () => {});
  });
}
