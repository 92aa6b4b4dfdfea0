import { type Client, createClient } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import WebSocket from 'ws';
import { PERSONAL_DATA_FIELDS, type PersonalDataField } from '../../src/app/access/personal-data-fields.js';
import { ROLE_GATES } from '../../src/app/access/role-gates.js';
import { accountIdFor } from '../../src/app/account/account-id.js';
import type { Authenticator, Viewer } from '../../src/app/viewer.js';
import { dataAccessStream } from '../../src/domain/shared/streams.js';
import { GRANT, type Person, REVOKE, registeredPerson, START_LOGIN } from '../account/flows.js';
import {
  fakeAuthenticator as caseViewers,
  multipartBody,
  pdfBytes,
  tokenOf,
  VIEWERS,
} from '../applications/fake-viewers.js';
import { MUTATIONS, QUERIES } from '../applications/support.js';
import { countSubscriptions, subscribe } from '../applications/ws-subscriber.js';
import { ACCOUNT_STATUS, REGENERATE, UNLOCK } from '../recovery/flows.js';
import { startTestApp, type TestApp } from '../support/harness.js';

/**
 * Walks every staff-reachable field that answers a person's data (PERSONAL_DATA_FIELDS) and checks,
 * for each, that the reading is recorded in that person's data-access log, and recorded first: with
 * that log refusing appends, the field answers nothing of the person.
 */
const admin: Viewer = {
  ...VIEWERS.auditor,
  accountId: 'admin-account',
  roles: ['CITIZEN', 'ADMIN'],
  displayName: 'Admin',
};
const authenticator: Authenticator = {
  viewerForToken: async (token) => (token === 'token-admin' ? admin : caseViewers.viewerForToken(token)),
};

let t: TestApp;
let target: Person;
let targetAccount: string;
const arben = VIEWERS.arben.accountId;

beforeAll(async () => {
  t = await startTestApp({ LIMIT_SIGNIN_PER_IP_PER_MINUTE: '100000' }, { authenticator });
  target = await registeredPerson(t);
  targetAccount = accountIdFor(t.services.keys.streamNames, target.nid);
});
afterAll(async () => {
  await t?.close();
});

const as = (who: string, query: string, variables: Record<string, unknown> = {}) =>
  t.gql(query, variables, { token: `token-${who}` });

async function upload(): Promise<string> {
  const { body, contentType } = multipartBody(pdfBytes(), 'Arben Hoxha - passport.pdf');
  const response = await t.app.inject({
    method: 'POST',
    url: '/documents',
    headers: { 'content-type': contentType, authorization: `Bearer ${tokenOf('arben')}` },
    payload: body,
  });
  return response.json().documentId as string;
}

/** A fresh application of Arben's at DPGJC, assigned to dpgjc1 when `assigned`. */
async function application(assigned = false): Promise<string> {
  const applied = await as('arben', MUTATIONS.apply, { serviceId: 'DPGJC-PERSONAL-CERTIFICATE' });
  const id = applied.data.applyForService.id as string;
  if (assigned) await as('dpgjc1', MUTATIONS.assign, { id });
  return id;
}

/** Each call answers whether the person's data was shown, and whose data it was. */
type Call = () => Promise<{ subject: string; shown: boolean }>;
const onTarget = (shown: boolean) => ({ subject: targetAccount, shown });
const onArben = (shown: boolean) => ({ subject: arben, shown });

async function lockTarget() {
  for (let i = 0; i < 5; i++)
    await t.gql(START_LOGIN, { identifier: target.nid, password: 'wrong-password-1' });
}

const CALLS: Record<Exclude<PersonalDataField, 'applicationUpdated'>, Call> = {
  // The second run of grantRole re-grants a role already held: no account event, yet the same answer.
  grantRole: async () => {
    const answer = await as('admin', GRANT, {
      identifier: target.nid,
      role: 'AUDITOR',
      reason: 'audit team',
    });
    return onTarget(Boolean(answer.data?.grantRole?.account));
  },
  revokeRole: async () => {
    await as('admin', GRANT, { identifier: target.nid, role: 'HELPDESK', reason: 'again' });
    const answer = await as('admin', REVOKE, { identifier: target.nid, role: 'HELPDESK', reason: 'left' });
    return onTarget(Boolean(answer.data?.revokeRole?.account));
  },
  regeneratePassword: async () => {
    await as('admin', REVOKE, { identifier: target.nid, role: 'AUDITOR', reason: 'not staff now' });
    const answer = await as('helpdesk', REGENERATE, { identifier: target.nid, reason: 'At the desk' });
    return onTarget(Boolean(answer.data?.regeneratePassword?.account));
  },
  unlockAccount: async () => {
    await lockTarget();
    const answer = await as('helpdesk', UNLOCK, { identifier: target.nid, reason: 'At the desk' });
    return onTarget(Boolean(answer.data?.unlockAccount?.account));
  },
  accountStatus: async () => {
    const answer = await as('auditor', ACCOUNT_STATUS, { identifier: target.nid });
    return onTarget(Boolean(answer.data?.accountStatus));
  },
  auditLog: async () => {
    const answer = await as(
      'auditor',
      'query($identifier: String) { auditLog(filter: { identifier: $identifier }) { edges { node { type } } } }',
      { identifier: target.nid },
    );
    return onTarget(Boolean(answer.data?.auditLog));
  },
  caseQueue: async () => {
    await application();
    const answer = await as('dpgjc1', QUERIES.queue, {});
    return onArben(Boolean(answer.data?.caseQueue?.edges?.length));
  },
  application: async () => {
    const id = await application();
    const answer = await as('dpgjc1', QUERIES.application, { id });
    return onArben(Boolean(answer.data?.application));
  },
  assignApplication: async () => {
    const id = await application();
    const answer = await as('dpgjc1', MUTATIONS.assign, { id });
    return onArben(answer.data?.assignApplication?.__typename === 'Application');
  },
  requestInformation: async () => {
    const id = await application(true);
    const answer = await as('dpgjc1', MUTATIONS.request, { id, message: 'Which bank?' });
    return onArben(answer.data?.requestInformation?.__typename === 'Application');
  },
  approveApplication: async () => {
    const id = await application(true);
    const answer = await as('dpgjc1', MUTATIONS.approve, { id });
    return onArben(answer.data?.approveApplication?.__typename === 'Application');
  },
  rejectApplication: async () => {
    const id = await application(true);
    const answer = await as('dpgjc1', MUTATIONS.reject, { id, reason: 'Incomplete' });
    return onArben(answer.data?.rejectApplication?.__typename === 'Application');
  },
  'GET /documents/{id}': async () => {
    const documentId = await upload();
    await as('arben', MUTATIONS.apply, {
      serviceId: 'DPSHTRR-LICENCE-CONVERSION',
      documentIds: [documentId, await upload()],
    });
    const response = await t.app.inject({
      method: 'GET',
      url: `/documents/${documentId}`,
      headers: { authorization: `Bearer ${tokenOf('auditor')}` },
    });
    return onArben(response.statusCode === 200);
  },
};

const records = async (accountId: string) => t.services.store.readStream(dataAccessStream(accountId));

/** Runs `work` while the person's data-access log refuses every append. */
async function withLogRefusing<T>(accountId: string, work: () => Promise<T>): Promise<T> {
  const store = t.services.store;
  const append = store.append.bind(store);
  const refused = dataAccessStream(accountId);
  store.append = (stream, events, expected, options) =>
    stream === refused ? Promise.reject(new Error('disk full')) : append(stream, events, expected, options);
  try {
    return await work();
  } finally {
    store.append = append;
  }
}

describe('every staff reading of personal data is recorded first', () => {
  it('walks exactly the operations the access table marks as reading personal data (readsPersonalData)', () => {
    const rows = Object.entries(ROLE_GATES) as Array<[string, { readsPersonalData: boolean }]>;
    const disagreeing = rows
      .filter(([operation, row]) => row.readsPersonalData !== operation in PERSONAL_DATA_FIELDS)
      .map(([operation]) => operation);
    expect(disagreeing).toEqual([]);
  });

  it.each(Object.keys(CALLS) as Array<keyof typeof CALLS>)('%s', async (field) => {
    const call = CALLS[field];
    const recorded = await call().then(async (first) => ({
      first,
      after: (await records(first.subject)).length,
    }));
    const { subject } = recorded.first;
    // Recorded: the answer showed the data, and the person's log holds the reading.
    const before = recorded.after;
    const shown = await call();
    expect(shown.shown).toBe(true);
    const log = await records(subject);
    expect(log.length).toBeGreaterThan(before);
    expect(log.at(-1)!.data).toMatchObject({ accountId: subject });
    // First: when the record cannot be written, nothing of the person is answered.
    const refused = await withLogRefusing(subject, call);
    expect(refused.shown).toBe(false);
  });

  it('names a document by its id in the record, never by its file name', async () => {
    await CALLS['GET /documents/{id}']();
    const what = (await records(arben)).map((event) => String(event.data.what));
    expect(what.filter((text) => text.startsWith('Document')).length).toBeGreaterThan(0);
    expect(what.join('\n')).not.toContain('passport.pdf');
  });
});

describe('auditors reading the records of readings', () => {
  it('records an auditor reading someone’s data-access log on a page of the audit log', async () => {
    await CALLS.application();
    const before = (await records(arben)).length;
    const answer = await as(
      'auditor',
      '{ auditLog(filter: { types: ["PersonalDataViewed"] }, first: 500) { edges { node { stream } } } }',
    );
    const streams = answer.data.auditLog.edges.map((edge: { node: { stream: string } }) => edge.node.stream);
    expect(streams).toContain(dataAccessStream(arben));
    const log = await records(arben);
    expect(log).toHaveLength(before + 1);
    expect(log.at(-1)!.data).toMatchObject({ role: 'AUDITOR', what: 'Audit history (data-access events)' });
  });
});

describe('live updates to staff', () => {
  let client: Client;
  afterAll(async () => {
    await client?.dispose();
  });

  it('records every push of applicationUpdated to a caseworker, before it is sent', async () => {
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    const url = `ws://127.0.0.1:${(t.app.server.address() as { port: number }).port}/graphql`;
    const subscribers = countSubscriptions(t.app);
    client = createClient({
      url,
      webSocketImpl: WebSocket,
      retryAttempts: 0,
      lazy: true,
      connectionParams: { authorization: `Bearer ${tokenOf('dpgjc2')}` },
    });
    const id = await application();
    const caseworker = subscribe(client, { id });
    await vi.waitFor(() => expect(subscribers(id)).toBe(1));
    const pushes = async () =>
      (await records(arben)).filter((event) => event.data.what === `Application ${id} (live update)`).length;
    await as('dpgjc1', MUTATIONS.assign, { id });
    await caseworker.until(() => caseworker.received.length === 1);
    await as('dpgjc1', MUTATIONS.request, { id, message: 'Which bank?' });
    await caseworker.until(() => caseworker.received.length === 2);
    expect(await pushes()).toBe(2);
    // A push whose record cannot be written is not sent: the subscription ends instead.
    await withLogRefusing(arben, async () => {
      await as('arben', MUTATIONS.provide, { id, message: 'BKT' });
      await caseworker.until(() => caseworker.completed);
    });
    expect(caseworker.received).toHaveLength(2);
    expect(await pushes()).toBe(2);
  });
});
