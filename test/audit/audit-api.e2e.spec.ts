import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accountIdFor } from '../../src/app/account/account-id.js';
import { runAuditCli } from '../../src/cli/audit.js';
import { isSecretKey } from '../../src/domain/audit/redaction.js';
import { accountStream } from '../../src/domain/shared/streams.js';
import { PASSWORD, type Person, registeredPerson, signIn } from '../account/flows.js';
import { startTestApp, type TestApp } from '../support/harness.js';
import { TEST_SECRET } from './fixtures.js';

const AUDIT_LOG = `query($filter: AuditFilter, $first: Int, $after: String, $purpose: String) {
  auditLog(filter: $filter, first: $first, after: $after, purpose: $purpose) {
    edges { cursor node { position stream type occurredAt actor data hash } }
    pageInfo { hasNextPage endCursor } } }`;
const MY_DATA_ACCESS =
  '{ myDataAccess { edges { node { at actor role purpose what } } pageInfo { hasNextPage } } }';

let t: TestApp;
let citizen: Person;
let auditor: Person;
/** Every secret this test used or the log holds: none may come out of an audit answer or export. */
const secrets = new Set<string>();

async function collectSecrets() {
  for (const text of [PASSWORD, 'Drita', citizen.token, auditor.token]) secrets.add(text);
  for (const person of [citizen, auditor])
    for (const message of t.services.outbox.list(person.email))
      for (const code of message.body.match(/\b\d{6}\b/g) ?? []) secrets.add(code);
  const visit = (value: unknown, key = '') => {
    if (typeof value === 'string' && isSecretKey(key)) secrets.add(value);
    else if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) visit(v, k);
  };
  for (const event of await t.services.store.readAll()) visit(event.data);
}

function expectNoSecret(text: string) {
  for (const secret of secrets) expect(text.includes(secret), `leaked ${secret.slice(0, 12)}…`).toBe(false);
  expect(text).not.toMatch(/\$argon2/);
}

beforeAll(async () => {
  t = await startTestApp();
  citizen = await registeredPerson(t);
  auditor = await registeredPerson(t);
  const granted = await t.app.inject({
    method: 'POST',
    url: '/dev/roles',
    payload: { identifier: auditor.nid, role: 'AUDITOR' },
  });
  expect(granted.statusCode).toBe(201);
  // A wrong password and a second sign-in, so the log holds rejections and more codes.
  await signIn(t, citizen.nid, 'not-the-password-at-all', citizen.email);
  expect((await signIn(t, citizen.nid, PASSWORD, citizen.email)).__typename).toBe('SessionStarted');
  await collectSecrets();
});

afterAll(async () => {
  await t.close();
});

describe('the audit log', () => {
  it('shows an identifier’s events to an auditor, in global order, with no secret in them', async () => {
    const response = await t.gql(
      AUDIT_LOG,
      { filter: { identifier: citizen.nid }, purpose: 'Complaint 2026/118' },
      { token: auditor.token },
    );
    expect(response.errors).toBeUndefined();
    const nodes = response.data.auditLog.edges.map((e: { node: unknown }) => e.node);
    expect(nodes.length).toBeGreaterThan(3);
    const citizenStream = accountStream(accountIdFor(t.services.keys.streamNames, citizen.nid));
    expect(nodes.some((n: { stream: string }) => n.stream === citizenStream)).toBe(true);
    const positions = nodes.map((n: { position: string }) => Number(n.position));
    expect(positions).toEqual([...positions].sort((a, b) => a - b));
    expect(secrets.size).toBeGreaterThan(5);
    expectNoSecret(JSON.stringify(response));
  });

  it('pages with cursors and filters by type and stream', async () => {
    const filter = { identifier: citizen.nid };
    const first = await t.gql(AUDIT_LOG, { filter, first: 2 }, { token: auditor.token });
    const page = first.data.auditLog;
    expect(page.edges).toHaveLength(2);
    expect(page.pageInfo.hasNextPage).toBe(true);
    const next = (
      await t.gql(AUDIT_LOG, { filter, first: 2, after: page.pageInfo.endCursor }, { token: auditor.token })
    ).data.auditLog;
    expect(Number(next.edges[0].node.position)).toBeGreaterThan(Number(page.edges[1].node.position));

    const type = page.edges[0].node.type as string;
    const typed = (await t.gql(AUDIT_LOG, { filter: { ...filter, types: [type] } }, { token: auditor.token }))
      .data.auditLog;
    expect(typed.edges.every((e: { node: { type: string } }) => e.node.type === type)).toBe(true);
    const stream = page.edges[0].node.stream as string;
    const byStream = (await t.gql(AUDIT_LOG, { filter: { stream } }, { token: auditor.token })).data.auditLog;
    expect(byStream.edges.every((e: { node: { stream: string } }) => e.node.stream === stream)).toBe(true);
    const later = (
      await t.gql(
        AUDIT_LOG,
        { filter: { ...filter, from: '2100-01-01T00:00:00Z' } },
        { token: auditor.token },
      )
    ).data.auditLog;
    expect(later.edges).toHaveLength(0);
  });

  it('is for auditors only', async () => {
    const asCitizen = await t.gql(AUDIT_LOG, {}, { token: citizen.token });
    expect(asCitizen.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const anonymous = await t.gql('{ verifyAuditChain { ok } }');
    expect(anonymous.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });

  it('verifies the chain of a real log written by the sign-in flows', async () => {
    await t.services.audit.checkpoints.writeNow();
    const response = await t.gql(
      '{ verifyAuditChain { ok checkedEvents firstBrokenPosition problem checkpoints } }',
      {},
      { token: auditor.token },
    );
    expect(response.data.verifyAuditChain).toMatchObject({
      ok: true,
      firstBrokenPosition: null,
      problem: null,
    });
    expect(response.data.verifyAuditChain.checkpoints).toBeGreaterThanOrEqual(1);
  });
});

describe('who looked at my data', () => {
  it('lists an auditor’s reading of my audit history, newest first', async () => {
    await t.gql(AUDIT_LOG, { filter: { identifier: citizen.nid } }, { token: auditor.token });
    const mine = (await t.gql(MY_DATA_ACCESS, {}, { token: citizen.token })).data.myDataAccess;
    expect(mine.edges.length).toBeGreaterThanOrEqual(2);
    const nodes = mine.edges.map((e: { node: { at: string; purpose: string } }) => e.node);
    const [newest] = nodes;
    expect(newest).toMatchObject({ role: 'AUDITOR', purpose: 'Audit of the portal', what: 'Audit history' });
    // The first reading, with the purpose the auditor gave, is the oldest.
    expect(nodes.at(-1)).toMatchObject({ role: 'AUDITOR', purpose: 'Complaint 2026/118' });
    const times = nodes.map((n: { at: string }) => n.at);
    expect(times).toEqual([...times].sort().reverse());
    expect(newest.actor).toMatch(/Person/);
    // The auditor's own list does not show readings of someone else.
    const theirs = (await t.gql(MY_DATA_ACCESS, {}, { token: auditor.token })).data.myDataAccess;
    expect(theirs.edges).toHaveLength(0);
  });

  it('refuses a reading whose record cannot be written, and gives no data', async () => {
    const before = (await t.gql(MY_DATA_ACCESS, {}, { token: citizen.token })).data.myDataAccess.edges.length;
    const store = t.services.store;
    const append = store.append.bind(store);
    store.append = (stream, events, expected) =>
      stream.startsWith('data-access-')
        ? Promise.reject(new Error('disk full'))
        : append(stream, events, expected);
    try {
      const refused = await t.gql(
        AUDIT_LOG,
        { filter: { identifier: citizen.nid } },
        { token: auditor.token },
      );
      expect(refused.errors?.[0]?.extensions?.code).toBe('UNAVAILABLE');
      expect(refused.data?.auditLog ?? null).toBeNull();
    } finally {
      store.append = append;
    }
    const after = (await t.gql(MY_DATA_ACCESS, {}, { token: citizen.token })).data.myDataAccess.edges.length;
    expect(after).toBe(before);
  });
});

describe('the export', () => {
  it('writes redacted JSON Lines within the time range', async () => {
    const lines: string[] = [];
    const env = { DATA_DIR: t.dataDir, PORTAL_SECRET: TEST_SECRET };
    const code = await runAuditCli(['export'], env, { out: (line) => lines.push(line), err: () => {} });
    expect(code).toBe(0);
    const all = lines.map((line) => JSON.parse(line));
    expect(all.length).toBeGreaterThan(5);
    expect(all[0]).toHaveProperty('hash');
    expectNoSecret(lines.join('\n'));

    const none: string[] = [];
    await runAuditCli(['export', '--from', '2100-01-01T00:00:00Z'], env, {
      out: (l) => none.push(l),
      err: () => {},
    });
    expect(none).toHaveLength(0);
    const bad = await runAuditCli(['export', '--from', 'yesterday'], env, { out: () => {}, err: () => {} });
    expect(bad).toBe(2);
  });
});
