import { nidCheckLetter, parseNid } from '../../src/domain/identity/identifiers.js';
import { idCardFor, type Sinks } from './server.js';

/** A GraphQL answer, or the HTTP failure in its place. */
export interface Answer {
  status: number;
  // biome-ignore lint/suspicious/noExplicitAny: answers of many shapes, checked where they are read
  data?: Record<string, any>;
  errors?: Array<{ message: string; extensions?: { code?: string } }>;
}

/** A client of one running server, as a browser or app would be: HTTP keep-alive, JSON, bearer tokens. */
export class Portal {
  constructor(readonly url: string) {}

  async gql(query: string, variables: Record<string, unknown> = {}, token?: string): Promise<Answer> {
    const response = await fetch(`${this.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify({ query, variables }),
    });
    const text = await response.text();
    try {
      return { status: response.status, ...(JSON.parse(text) as object) };
    } catch {
      return { status: response.status, errors: [{ message: text.slice(0, 200) }] };
    }
  }
}

export interface Person {
  nid: string;
  phone: string;
  email: string;
  password: string;
  token?: string;
}

/** The i-th person of a run: a valid NID (born 1990, per the check letter), a phone and an e-mail of its own. */
export function person(i: number, salt = 0): Person {
  // Decade J (1990s), year digit, month, day 01..28, 3 serial digits: every one parses as a NID.
  const serial = String(i % 1000).padStart(3, '0');
  const day = String(1 + (Math.floor(i / 1000) % 28)).padStart(2, '0');
  const month = String(1 + (Math.floor(i / 28_000) % 12)).padStart(2, '0');
  const nine = `J${salt % 10}${month}${day}${serial}`;
  const nid = nine + nidCheckLetter(nine);
  if (!parseNid(nid)) throw new Error(`generated an invalid NID ${nid}`);
  return {
    nid,
    phone: `+35569${String(salt * 100_000 + i).padStart(7, '0')}`,
    email: `bench${salt}-${i}@example.al`,
    password: 'bench fjalëkalim i gjatë',
  };
}

const code = (sms: string) => {
  const found = /\b(\d{6})\b/.exec(sms);
  if (!found) throw new Error('no code in the SMS');
  return found[1]!;
};

export class ProtocolError extends Error {}

// biome-ignore lint/suspicious/noExplicitAny: the field's own shape, read by the caller
const expect = (answer: Answer, field: string, typename: string): Record<string, any> => {
  const value = answer.data?.[field];
  if (answer.status !== 200 || !value || (value.__typename && value.__typename !== typename))
    throw new ProtocolError(
      `${field}: ${answer.status} ${value?.__typename ?? ''} ${answer.errors?.map((e) => e.extensions?.code ?? e.message).join(',') ?? ''}`,
    );
  return value;
};

/** registerCitizen -> the code from the loopback SMS -> confirmRegistration: a session token. */
export async function register(portal: Portal, sinks: Sinks, p: Person): Promise<string> {
  const sms = sinks.nextSms(p.phone);
  const sent = await portal.gql(
    'mutation($input: RegisterCitizenInput!) { registerCitizen(input: $input) { __typename ... on OtpSent { challengeId } } }',
    {
      input: {
        nid: p.nid,
        idCardNumber: idCardFor(p.nid),
        email: p.email,
        phone: p.phone,
        password: p.password,
        securityQuestion: 'Emri i shkollës së parë?',
        securityAnswer: 'Naim Frashëri',
      },
    },
  );
  const challengeId = expect(sent, 'registerCitizen', 'OtpSent').challengeId as string;
  const confirmed = await portal.gql(
    'mutation($c: ID!, $k: String!) { confirmRegistration(challengeId: $c, code: $k) { __typename ... on SessionStarted { token } } }',
    { c: challengeId, k: code(await sms) },
  );
  p.token = expect(confirmed, 'confirmRegistration', 'SessionStarted').token as string;
  return p.token!;
}

export interface SignIn {
  token: string;
  startMs: number;
  completeMs: number;
}

/** startLogin (argon2) -> the code from the loopback SMS -> completeLogin. */
export async function signIn(portal: Portal, sinks: Sinks, p: Person): Promise<SignIn> {
  const sms = sinks.nextSms(p.phone);
  const t0 = performance.now();
  const started = await portal.gql(
    'mutation($i: String!, $p: String!) { startLogin(identifier: $i, password: $p) { __typename ... on OtpSent { challengeId } } }',
    { i: p.nid, p: p.password },
  );
  const startMs = performance.now() - t0;
  const challengeId = expect(started, 'startLogin', 'OtpSent').challengeId as string;
  const k = code(await sms);
  const t1 = performance.now();
  const done = await portal.gql(
    'mutation($c: ID!, $k: String!) { completeLogin(challengeId: $c, code: $k) { __typename ... on SessionStarted { token } } }',
    { c: challengeId, k },
  );
  const completeMs = performance.now() - t1;
  p.token = expect(done, 'completeLogin', 'SessionStarted').token as string;
  return { token: p.token!, startMs, completeMs };
}

export const APPLICATION_FIELDS =
  'id status submittedAt updatedAt dueAt overdue assignee service { id name institution } applicant { kind displayName identifier } formData timeline { at status note actor } documents { id } rating';

export async function apply(portal: Portal, token: string): Promise<string> {
  const answer = await portal.gql(
    `mutation($f: JSON) { applyForService(serviceId: "DPGJC-PERSONAL-CERTIFICATE", formData: $f) { __typename ... on Application { id } } }`,
    { f: { purpose: 'Shkollë', copies: 1 } },
    token,
  );
  return expect(answer, 'applyForService', 'Application').id as string;
}

/** Runs `task` for each item with at most `concurrency` at a time. */
export async function eachLimited<T>(
  items: T[],
  concurrency: number,
  task: (item: T, i: number) => Promise<void>,
) {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, items.length) }, async () => {
      while (next < items.length) {
        const i = next++;
        await task(items[i]!, i);
      }
    }),
  );
}
