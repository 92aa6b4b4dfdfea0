import {
  type GraphQLInputType,
  getNamedType,
  getNullableType,
  isEnumType,
  isInputObjectType,
  isListType,
  isNonNullType,
  parse,
  validate,
} from 'graphql';
import { type Client, createClient } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import {
  type Access,
  CALLERS,
  type Caller,
  type Operation,
  ROLE_GATES,
} from '../../src/app/access/role-gates.js';
import type { Authenticator, Viewer } from '../../src/app/viewer.js';
import { fakeAuthenticator, multipartBody, pdfBytes, VIEWERS } from '../applications/fake-viewers.js';
import { subscribe } from '../applications/ws-subscriber.js';
import { startTestApp, type TestApp } from '../support/harness.js';
import { correlationHeaders, eventsTagged } from './correlation.js';
import { documentOf, type RootField, rootFields } from './schema-operations.js';

/**
 * The access table (src/app/access/role-gates.ts) against the served schema and the running app: every
 * root field has exactly one row, every row names a use case that exists, and every caller the row
 * does not let through gets the refusal the row (and the contract) says, over HTTP (subscriptions over
 * the websocket), changing nothing.
 */

/** The fake viewers have no admin: one more, the same person as their helpdesk and auditor. */
const admin: Viewer = { ...VIEWERS.helpdesk, roles: ['CITIZEN', 'ADMIN'], sessionId: 'session-admin' };
const authenticator: Authenticator = {
  viewerForToken: async (token) =>
    token === 'token-admin' ? admin : fakeAuthenticator.viewerForToken(token),
};

interface Persona {
  label: string;
  caller: Caller;
  token: string | null;
  /** Presents the tracking code of its own (other) application where a field takes one. */
  tracking?: boolean;
  /** Not the target application's applicant (nor its institution's caseworker). */
  stranger: boolean;
}

/** One of each caller, none of them the applicant of the target application (Arben's, at the DPGJC). */
const PERSONAS: Persona[] = [
  { label: 'anonymous', caller: 'ANONYMOUS', token: null, stranger: true },
  { label: 'another citizen', caller: 'CITIZEN', token: 'token-elira', stranger: true },
  { label: 'a business', caller: 'BUSINESS', token: 'token-business', stranger: true },
  {
    label: 'a foreigner with their own code',
    caller: 'FOREIGNER',
    token: null,
    tracking: true,
    stranger: true,
  },
  { label: 'a caseworker of the institution', caller: 'CASEWORKER', token: 'token-dpgjc1', stranger: false },
  { label: 'a caseworker of another institution', caller: 'CASEWORKER', token: 'token-dkm', stranger: true },
  { label: 'the helpdesk', caller: 'HELPDESK', token: 'token-helpdesk', stranger: true },
  { label: 'an auditor', caller: 'AUDITOR', token: 'token-auditor', stranger: false },
  { label: 'an admin', caller: 'ADMIN', token: 'token-admin', stranger: true },
];

const STAFF: readonly Caller[] = ['CASEWORKER', 'HELPDESK', 'AUDITOR', 'ADMIN'];
const SCOPED = new Set(['HIDDEN', 'HIDDEN_ERROR', 'APPLICATION_ACT']);

/** Whether the row lets the persona through (then it is not a refusal case). */
function letsThrough(row: Access, persona: Persona): boolean {
  if (SCOPED.has(row.refusal as string)) {
    // One application: only staff who see it pass (the applicant is no persona here).
    return !persona.stranger && row.callers.includes(persona.caller);
  }
  if (row.callers.includes(persona.caller)) return true;
  // A staff member's account is a citizen's: rows open to citizens let staff through.
  return STAFF.includes(persona.caller) && row.callers.includes('CITIZEN');
}

type Expected =
  | { error: 'UNAUTHENTICATED' | 'FORBIDDEN' | 'NOT_FOUND' }
  | { nullAnswer: true }
  | { inputRefused: { field: string; code: string } };

/** What a persona the row does not let through must get. */
function expectedRefusal(row: Access, persona: Persona, takesTrackingCode: boolean): Expected {
  const signedIn = persona.token !== null;
  const refusal = row.refusal;
  if (typeof refusal === 'object') return { inputRefused: { field: refusal.field, code: refusal.code } };
  switch (refusal) {
    case 'ROLE':
      return { error: signedIn ? 'FORBIDDEN' : 'UNAUTHENTICATED' };
    case 'SESSION':
      return { error: 'UNAUTHENTICATED' };
    case 'HIDDEN':
      return { nullAnswer: true };
    case 'HIDDEN_ERROR':
      return { error: 'NOT_FOUND' };
    case 'APPLICATION_ACT': {
      if (!signedIn && !(persona.tracking && takesTrackingCode)) return { error: 'UNAUTHENTICATED' };
      // Who sees an application is what the `application` row says; seeing it but not acting: FORBIDDEN.
      return { error: letsThrough(ROLE_GATES.application, persona) ? 'FORBIDDEN' : 'NOT_FOUND' };
    }
    case 'NONE':
      throw new Error('a row open to everyone refuses no one');
  }
}

describe('the access table (src/app/access/role-gates.ts)', () => {
  let t: TestApp;
  let fields: RootField[];
  let target: string;
  let ownTrackingCode: string;
  let wsUrl: string;
  const clients: Client[] = [];

  async function upload(token: string | null) {
    const { body, contentType } = multipartBody(pdfBytes());
    const response = await t.app.inject({
      method: 'POST',
      url: '/documents',
      headers: { 'content-type': contentType, ...(token ? { authorization: `Bearer ${token}` } : {}) },
      payload: body,
    });
    return response.json().documentId as string;
  }

  beforeAll(async () => {
    t = await startTestApp({}, { authenticator });
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    wsUrl = `ws://127.0.0.1:${(t.app.server.address() as { port: number }).port}/graphql`;
    fields = rootFields(t.app.graphql.schema);
    const applied = await t.gql(
      'mutation { applyForService(serviceId: "DPGJC-PERSONAL-CERTIFICATE") { ... on Application { id } } }',
      {},
      { token: 'token-arben' },
    );
    target = applied.data.applyForService.id;
    const documentIds = [await upload(null), await upload(null), await upload(null)];
    const foreign = await t.gql(
      'mutation($input: ForeignerApplicationInput!) { applyAsForeigner(input: $input) { ... on Application { trackingCode } } }',
      {
        input: {
          serviceId: 'DKM-RESIDENCE-PERMIT',
          passportNumber: 'X1234567',
          nationality: 'DE',
          fullName: 'Jonas Weber',
          email: 'jonas@example.de',
          documentIds,
        },
      },
    );
    ownTrackingCode = foreign.data.applyAsForeigner.trackingCode;
    expect(target).toBeTruthy();
    expect(ownTrackingCode).toBeTruthy();
  });
  afterAll(async () => {
    for (const c of clients.splice(0)) await c.dispose();
    await t?.close();
  });

  it('has one row for every Query, Mutation and Subscription field, and no row for a field that is gone', () => {
    const served = fields.map((f) => `${f.on}.${f.name}`).sort();
    const rows = Object.entries(ROLE_GATES)
      .map(([name, row]) => `${row.on}.${name}`)
      .sort();
    expect(rows).toEqual(served);
  });

  it('names, in each row, a use case that exists', async () => {
    for (const [name, row] of Object.entries(ROLE_GATES) as Array<[string, Access]>) {
      const [path, exported] = row.useCase.split('#');
      const module = (await import(/* @vite-ignore */ `../../src/${path}`)) as Record<string, unknown>;
      expect(typeof module[exported!], `${name}: ${row.useCase}`).toBe('function');
    }
  });

  it('lists only known callers, and every caller on a row that refuses no one', () => {
    for (const [name, row] of Object.entries(ROLE_GATES) as Array<[string, Access]>) {
      for (const caller of row.callers) expect(CALLERS, name).toContain(caller);
      if (row.refusal === 'NONE') expect([...row.callers].sort(), name).toEqual([...CALLERS].sort());
      if (row.refusal === 'ROLE')
        expect(
          row.callers.every((c) => STAFF.includes(c)),
          `${name}: a role gate lets staff roles through`,
        ).toBe(true);
    }
  });

  /** A value for an argument: the target application, a real person, or a plain valid value. */
  function sample(name: string, type: GraphQLInputType, persona: Persona): unknown {
    const named = getNamedType(type);
    if (isListType(getNullableType(type))) return [sample(name, getNamedType(type), persona)];
    switch (name) {
      case 'id':
      case 'applicationId':
        return target;
      case 'trackingCode':
        return ownTrackingCode;
      case 'identifier':
        return VIEWERS.arben.identifier;
      case 'serviceId':
        return 'DPGJC-PERSONAL-CERTIFICATE';
      case 'stars':
        return 5;
    }
    if (isEnumType(named)) return named.getValues()[0]!.value;
    if (isInputObjectType(named))
      return Object.fromEntries(
        Object.values(named.getFields())
          .filter((f) => isNonNullType(f.type))
          .map((f) => [f.name, sample(f.name, f.type, persona)]),
      );
    switch (named.name) {
      case 'Int':
        return 1;
      case 'Boolean':
        return true;
      case 'DateTime':
        return new Date(0).toISOString();
      case 'JSON':
        return {};
      default:
        return 'access table test';
    }
  }

  /** Required arguments always; the tracking code only for a persona that holds one. */
  function variablesFor(root: RootField, persona: Persona): Record<string, unknown> {
    const variables: Record<string, unknown> = {};
    for (const arg of root.field.args) {
      if (arg.name === 'trackingCode' && !persona.tracking) continue;
      if (isNonNullType(arg.type) || arg.name === 'trackingCode')
        variables[arg.name] = sample(arg.name, arg.type, persona);
    }
    return variables;
  }

  async function overHttp(root: RootField, persona: Persona, correlationId: string) {
    const response = await t.app.inject({
      method: 'POST',
      url: '/graphql',
      headers: {
        'content-type': 'application/json',
        ...correlationHeaders(correlationId),
        ...(persona.token ? { authorization: `Bearer ${persona.token}` } : {}),
      },
      payload: { query: documentOf(t.app.graphql.schema, root, 2), variables: variablesFor(root, persona) },
    });
    return { status: response.statusCode, body: response.json() };
  }

  async function overWebsocket(root: RootField, persona: Persona) {
    const client = createClient({
      url: wsUrl,
      webSocketImpl: WebSocket,
      retryAttempts: 0,
      lazy: true,
      connectionParams: persona.token ? { authorization: `Bearer ${persona.token}` } : {},
    });
    clients.push(client);
    const s = subscribe(client, variablesFor(root, persona));
    await s.until(() => s.errors.length > 0 || s.completed);
    return s;
  }

  const cases = () =>
    Object.keys(ROLE_GATES).flatMap((name) =>
      PERSONAS.filter((p) => !letsThrough(ROLE_GATES[name as Operation], p)).map((p) => [name, p] as const),
    );

  it('tags the events a request causes with the correlation id it sends (the refusals below rely on it)', async () => {
    const before = await t.services.store.headPosition();
    const startLogin = fields.find((f) => f.name === 'startLogin')!;
    await overHttp(startLogin, PERSONAS[0]!, 'access-table-control');
    expect(await eventsTagged(t.services.store, before, 'access-table-control')).not.toEqual([]);
  });

  it('refuses every caller a row does not let through, as the row says, and the refusal changes nothing', async () => {
    const checked: string[] = [];
    let serial = 0;
    for (const [name, persona] of cases()) {
      const root = fields.find((f) => f.name === name)!;
      const row: Access = ROLE_GATES[name as Operation];
      const expected = expectedRefusal(
        row,
        persona,
        root.field.args.some((a) => a.name === 'trackingCode'),
      );
      const where = `${name} as ${persona.label}`;
      checked.push(where);
      if (root.on === 'Subscription') {
        // mercurius sends errors raised while subscribing without the error formatter: the message only.
        expect(name, 'only applicationUpdated is known to the websocket check').toBe('applicationUpdated');
        const s = await overWebsocket(root, persona);
        expect(JSON.stringify(s.errors), where).toContain('No such application.');
        expect(s.received, where).toEqual([]);
        continue;
      }
      serial += 1;
      const correlationId = `access-table-${serial}`;
      const before = await t.services.store.headPosition();
      const { status, body } = await overHttp(root, persona, correlationId);
      expect(status, where).toBeLessThan(500);
      if ('error' in expected) {
        expect(
          body.errors?.map((e: { extensions?: { code?: string } }) => e.extensions?.code),
          where,
        ).toEqual([expected.error]);
        expect(body.data?.[name] ?? null, where).toBeNull();
      } else if ('nullAnswer' in expected) {
        expect(body.errors, where).toBeUndefined();
        expect(body.data[name], where).toBeNull();
      } else {
        expect(body.data[name], where).toMatchObject({
          __typename: 'InputRefused',
          ...expected.inputRefused,
        });
      }
      expect(await eventsTagged(t.services.store, before, correlationId), `${where} appended events`).toEqual(
        [],
      );
    }
    // The walk reached every kind of row that refuses, and every persona.
    expect(checked.length).toBeGreaterThan(60);
    for (const persona of PERSONAS) expect(checked.some((c) => c.endsWith(persona.label))).toBe(true);
  });

  it('answers the callers a query row lets through, with no access error', async () => {
    for (const root of fields.filter((f) => f.on === 'Query')) {
      const row: Access = ROLE_GATES[root.name as Operation];
      for (const persona of PERSONAS.filter((p) => letsThrough(row, p))) {
        const { body } = await overHttp(root, persona, `access-table-ok-${root.name}`);
        const codes = (body.errors ?? []).map((e: { extensions?: { code?: string } }) => e.extensions?.code);
        expect(codes, `${root.name} as ${persona.label}`).not.toContain('UNAUTHENTICATED');
        expect(codes, `${root.name} as ${persona.label}`).not.toContain('FORBIDDEN');
        if (row.refusal === 'HIDDEN') expect(body.data[root.name]?.id, root.name).toBe(target);
      }
    }
  });

  it('builds a valid document for every root field', () => {
    for (const root of fields) {
      expect(
        validate(t.app.graphql.schema, parse(documentOf(t.app.graphql.schema, root))),
        root.name,
      ).toEqual([]);
    }
  });
});
