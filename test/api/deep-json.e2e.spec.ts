import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_JSON_DEPTH } from '../../src/api/json-scalar.js';
import { runAuditCli } from '../../src/cli/audit.js';
import { applicationStream } from '../../src/domain/shared/streams.js';
import { ANY } from '../../src/infra/eventstore/port.js';
import { type CaseApp, MUTATIONS, startCaseApp } from '../applications/support.js';
import { TEST_SECRET } from '../audit/fixtures.js';

/** `{"a":{"a":...}}` nested `depth` objects deep, built without recursion. */
function nested(depth: number): Record<string, unknown> {
  const root: Record<string, unknown> = {};
  let inner = root;
  for (let i = 1; i < depth; i += 1) {
    const next: Record<string, unknown> = {};
    inner.a = next;
    inner = next;
  }
  inner.leaf = 'bottom';
  return root;
}

let t: CaseApp;
beforeAll(async () => {
  t = await startCaseApp();
});
afterAll(async () => {
  await t?.close();
});

const AUDIT_LOG = `query($filter: AuditFilter) { auditLog(filter: $filter, first: 10, purpose: "deep json test") {
  edges { node { position stream type data } } } }`;

describe('JSON inputs: depth and size bounded at the edge', () => {
  const apply = (formData: unknown) =>
    t.as('arben', MUTATIONS.apply, { serviceId: 'DPGJC-PERSONAL-CERTIFICATE', formData, documentIds: [] });
  const foreigner = (formData: unknown) =>
    t.as(null, MUTATIONS.foreigner, {
      input: {
        serviceId: 'DKM-RESIDENCE-PERMIT',
        passportNumber: 'YA1234567',
        nationality: 'IT',
        fullName: 'Giulia Rossi',
        email: 'giulia@example.it',
        formData,
        documentIds: [],
      },
    });

  it('refuses formData nested 4,000 deep (applicant and foreign national) with BAD_USER_INPUT, appending nothing', async () => {
    const head = await t.services.store.headPosition();
    for (const answer of [await apply(nested(4000)), await foreigner(nested(4000))]) {
      expect(answer.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
      expect(answer.errors?.[0]?.message).toContain('nested');
    }
    expect(await t.services.store.headPosition()).toBe(head);
  });

  it(`accepts ${MAX_JSON_DEPTH} levels and refuses one more, as a variable or written in the document`, async () => {
    expect((await apply(nested(MAX_JSON_DEPTH))).data.applyForService.__typename).toBe('Application');
    expect((await apply(nested(MAX_JSON_DEPTH + 1))).errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    const literal = (depth: number) =>
      t.as(
        'arben',
        `mutation { applyForService(serviceId: "DPGJC-PERSONAL-CERTIFICATE", formData: ${'{a: '.repeat(depth - 1)}{leaf: "x"}${'}'.repeat(depth - 1)}) { __typename } }`,
      );
    expect((await literal(MAX_JSON_DEPTH)).data.applyForService.__typename).toBe('Application');
    expect((await literal(MAX_JSON_DEPTH + 1)).errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });

  it('refuses a wide JSON input over the size bound (its JSON text), however shallow', async () => {
    const wide = Object.fromEntries(Array.from({ length: 3000 }, (_, i) => [`field${i}`, 'value']));
    const answer = await apply(wide);
    expect(answer.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });
});

describe('an event already stored with data nested 10,000 deep', () => {
  it('the audit log, the export and the chain verification all still answer', async () => {
    const stream = applicationStream(randomUUID().replaceAll('-', ''));
    await t.services.store.append(
      stream,
      [
        {
          id: randomUUID(),
          type: 'FormDraftSaved',
          data: { note: 'kept from before the bound', personal: { formData: nested(10_000) } },
          metadata: { actor: { kind: 'SYSTEM' } },
        },
      ],
      ANY,
    );
    const answer = await t.as('auditor', AUDIT_LOG, { filter: { stream } });
    expect(answer.errors).toBeUndefined();
    const [edge] = answer.data.auditLog.edges;
    expect(edge.node.data.note).toBe('kept from before the bound');
    expect(JSON.stringify(edge.node.data)).toContain('[NESTED TOO DEEP]');

    const lines: string[] = [];
    const env = { DATA_DIR: t.dataDir, PORTAL_SECRET: TEST_SECRET };
    expect(await runAuditCli(['export'], env, { out: (line) => lines.push(line), err: () => {} })).toBe(0);
    const exported = lines.map((line) => JSON.parse(line)).find((entry) => entry.stream === stream);
    expect(exported.data.note).toBe('kept from before the bound');

    // Appended behind the chain's back, it breaks the chain there: verification says so, and does not crash.
    const verified = await runAuditCli(['verify'], env, { out: () => {}, err: () => {} });
    expect(verified).toBe(1);
  });
});
