// Talks to running server processes over real HTTP, as a person's browser would.
import { nidCheckLetter } from '../../../src/domain/identity/identifiers.js';

export const PASSWORD = 'lule-bore-ne-mal-2026';

// biome-ignore lint/suspicious/noExplicitAny: GraphQL answers are checked field by field in the tests.
export type Answer = { data: any; errors?: Array<{ message: string; extensions?: Record<string, unknown> }> };

export interface Reply {
  status: number;
  body: Answer;
}

/** POST /graphql; the HTTP status with the GraphQL answer (a 5xx answer's body is kept as errors). */
export async function gql(
  url: string,
  query: string,
  variables: Record<string, unknown> = {},
  token?: string,
  requestId?: string,
): Promise<Reply> {
  const response = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      // The events a request causes carry it as their correlation id: how a test finds them.
      ...(requestId ? { 'x-request-id': requestId, 'x-correlation-id': requestId } : {}),
    },
    body: JSON.stringify({ query, variables }),
  });
  const text = await response.text();
  let body: Answer;
  try {
    body = JSON.parse(text) as Answer;
  } catch {
    body = { data: null, errors: [{ message: text, extensions: { code: `HTTP_${response.status}` } }] };
  }
  return { status: response.status, body };
}

/** The error code of a GraphQL answer, or of an HTTP error body; undefined when it succeeded. */
export const codeOf = (reply: Reply): unknown =>
  reply.body.errors?.[0]?.extensions?.code ?? (reply.status >= 400 ? `HTTP_${reply.status}` : undefined);

export const REGISTER_CITIZEN = `mutation($input: RegisterCitizenInput!) { registerCitizen(input: $input) {
  __typename ... on OtpSent { challengeId } ... on InputRefused { field code message } ... on RateLimited { retryAfterSeconds } } }`;
export const CONFIRM = `mutation($challengeId: ID!, $code: String!) { confirmRegistration(challengeId: $challengeId, code: $code) {
  __typename ... on SessionStarted { token account { id } } ... on CodeRejected { reason } } }`;
export const START_LOGIN = `mutation($identifier: String!, $password: String!) { startLogin(identifier: $identifier, password: $password) {
  __typename ... on OtpSent { challengeId } ... on LoginRejected { message } ... on AccountLocked { lockedUntil } ... on RateLimited { retryAfterSeconds } } }`;
export const COMPLETE_LOGIN = `mutation($challengeId: ID!, $code: String!) { completeLogin(challengeId: $challengeId, code: $code) {
  __typename ... on SessionStarted { token account { id } } ... on CodeRejected { reason attemptsLeft } ... on AccountLocked { lockedUntil } } }`;
export const APPLY = `mutation($serviceId: ID!, $documentIds: [ID!]) { applyForService(serviceId: $serviceId, documentIds: $documentIds) {
  __typename ... on Application { id status documents { id } } ... on InputRefused { field code message } } }`;
export const APPLICATION = 'query($id: ID!) { application(id: $id) { id status documents { id } } }';
export const ME = '{ me { id identifier } }';
export const LOGOUT = 'mutation { logout }';

let serial = 0;
/** A valid NID unique in this run: the serial and the process id keep runs and files apart. */
export function freshNid(): string {
  serial += 1;
  const day = String(1 + (process.pid % 28)).padStart(2, '0');
  const nine = `J0${String(1 + (Math.floor(serial / 1000) % 12)).padStart(2, '0')}${day}${String(serial % 1000).padStart(3, '0')}`;
  return nine + nidCheckLetter(nine);
}

export interface Citizen {
  nid: string;
  idCardNumber: string;
  email: string;
  phone: string;
}

/**
 * A new person in the sandbox registry of every instance (each process keeps its own sandbox, so a
 * registration that lands on any of them finds the person).
 */
export async function addCitizen(instanceUrls: string[], nid = freshNid()): Promise<Citizen> {
  const idCardNumber = `ID${nid.slice(3)}`;
  for (const url of instanceUrls) {
    const response = await fetch(`${url}/dev/registry/citizens`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        nid,
        idCardNumber,
        firstName: 'Test',
        lastName: `P ${nid}`,
        birthDate: '1990-01-01',
      }),
    });
    if (response.status !== 201)
      throw new Error(`registry of ${url}: ${response.status} ${await response.text()}`);
  }
  return {
    nid,
    idCardNumber,
    email: `${nid.toLowerCase()}@example.al`,
    phone: `+35569${String(Number.parseInt(nid.slice(1, 9), 10) % 10_000_000).padStart(7, '0')}`,
  };
}

/**
 * The newest 6-digit code sent to an address, from the dev outbox of whichever instance sent it
 * (each process keeps its own outbox).
 */
export async function codeFor(instanceUrls: string[], to: string): Promise<string> {
  const entries: Array<{ body: string; sentAt: string }> = [];
  for (const url of instanceUrls) {
    const response = await fetch(`${url}/dev/outbox?to=${encodeURIComponent(to)}`).catch(() => null);
    if (response?.ok) entries.push(...((await response.json()) as typeof entries));
  }
  entries.sort((a, b) => b.sentAt.localeCompare(a.sentAt));
  const code = entries[0]?.body.match(/\b(\d{6})\b/)?.[1];
  if (!code) throw new Error(`no code for ${to}`);
  return code;
}

/** Registers and confirms a citizen through `url`; the session token. */
export async function register(url: string, instanceUrls: string[], citizen: Citizen): Promise<string> {
  const input = { ...citizen, password: PASSWORD, securityQuestion: 'Qyteti?', securityAnswer: 'Berat' };
  const sent = await gql(url, REGISTER_CITIZEN, { input });
  if (sent.body.data?.registerCitizen?.__typename !== 'OtpSent') throw new Error(JSON.stringify(sent));
  const code = await codeFor(instanceUrls, citizen.email);
  const done = await gql(url, CONFIRM, { challengeId: sent.body.data.registerCitizen.challengeId, code });
  if (done.body.data?.confirmRegistration?.__typename !== 'SessionStarted')
    throw new Error(JSON.stringify(done));
  return done.body.data.confirmRegistration.token as string;
}

/** A minimal valid PDF of about `size` bytes. */
export function pdfBytes(size = 1024, fill = 'x'): Buffer {
  const head = Buffer.from('%PDF-1.7\n', 'latin1');
  const tail = Buffer.from('\n%%EOF\n', 'latin1');
  return Buffer.concat([head, Buffer.alloc(Math.max(0, size - head.length - tail.length), fill), tail]);
}

/** POST /documents with one PDF; the HTTP status and the answer. */
export async function upload(
  url: string,
  token: string,
  content: Buffer,
): Promise<{ status: number; body: Record<string, unknown> }> {
  const form = new FormData();
  form.append('file', new Blob([new Uint8Array(content)], { type: 'application/pdf' }), 'document.pdf');
  const response = await fetch(`${url}/documents`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}` },
    body: form,
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}
