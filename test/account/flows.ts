import { nidCheckLetter } from '../../src/domain/identity/identifiers.js';
import type { TestApp } from '../support/harness.js';

/** GraphQL documents of the sign-in flows, shared by the account tests. */
export const REGISTER_CITIZEN = `mutation($input: RegisterCitizenInput!) { registerCitizen(input: $input) {
  __typename ... on OtpSent { challengeId expiresAt channels { channel to } }
  ... on InputRefused { field code message } ... on RateLimited { retryAfterSeconds } } }`;
export const REGISTER_BUSINESS = `mutation($input: RegisterBusinessInput!) { registerBusiness(input: $input) {
  __typename ... on OtpSent { challengeId expiresAt channels { channel to } }
  ... on InputRefused { field code message } ... on RateLimited { retryAfterSeconds } } }`;
const SESSION = `... on SessionStarted { token expiresAt account { id kind identifier displayName roles institution email phone lastSignInAt } }`;
const CODE_REJECTED = '... on CodeRejected { reason attemptsLeft }';
export const CONFIRM = `mutation($challengeId: ID!, $code: String!) { confirmRegistration(challengeId: $challengeId, code: $code) {
  __typename ${SESSION} ${CODE_REJECTED} } }`;
export const START_LOGIN = `mutation($identifier: String!, $password: String!) { startLogin(identifier: $identifier, password: $password) {
  __typename ... on OtpSent { challengeId expiresAt channels { channel to } } ... on LoginRejected { message }
  ... on AccountLocked { lockedUntil } ... on RateLimited { retryAfterSeconds } } }`;
export const COMPLETE_LOGIN = `mutation($challengeId: ID!, $code: String!) { completeLogin(challengeId: $challengeId, code: $code) {
  __typename ${SESSION} ${CODE_REJECTED} ... on AccountLocked { lockedUntil } } }`;
export const RESEND = `mutation($challengeId: ID!) { resendCode(challengeId: $challengeId) {
  __typename ... on OtpSent { challengeId expiresAt } ... on RateLimited { retryAfterSeconds } ${CODE_REJECTED} } }`;
export const ME = '{ me { id kind identifier displayName roles institution email phone lastSignInAt } }';
export const LOGOUT = 'mutation { logout }';
export const START_CHANGE = `mutation($currentPassword: String!) { startPasswordChange(currentPassword: $currentPassword) {
  __typename ... on OtpSent { challengeId } ... on LoginRejected { message } ... on AccountLocked { lockedUntil }
  ... on RateLimited { retryAfterSeconds } } }`;
export const COMPLETE_CHANGE = `mutation($challengeId: ID!, $code: String!, $newPassword: String!) {
  completePasswordChange(challengeId: $challengeId, code: $code, newPassword: $newPassword) {
  __typename ... on PasswordUpdated { account { id } session { token } } ... on PasswordRefused { codes reasons }
  ${CODE_REJECTED} } }`;
export const GRANT = `mutation($identifier: String!, $role: Role!, $institution: String, $reason: String!) {
  grantRole(identifier: $identifier, role: $role, institution: $institution, reason: $reason) {
  __typename ... on RoleChanged { account { identifier roles institution } } ... on InputRefused { field code message } } }`;
export const REVOKE = `mutation($identifier: String!, $role: Role!, $reason: String!) {
  revokeRole(identifier: $identifier, role: $role, reason: $reason) {
  __typename ... on RoleChanged { account { identifier roles } } ... on InputRefused { field code message } } }`;

export const PASSWORD = 'lule-bore-ne-mal-2026';

let serial = 0;
/** A valid NID nobody else in this process uses (born 1990-01-01, serial counting up). */
export function freshNid(): string {
  serial += 1;
  const nine = `J0010${String(1 + Math.floor(serial / 1000)).padStart(1, '0')}${String(serial % 1000).padStart(3, '0')}`;
  return nine + nidCheckLetter(nine);
}

/** Adds a person to the sandbox civil registry through the dev tool. */
export async function addCitizen(t: TestApp, nid = freshNid()) {
  const idCardNumber = `ID${nid.slice(4)}`;
  const response = await t.app.inject({
    method: 'POST',
    url: '/dev/registry/citizens',
    payload: { nid, idCardNumber, firstName: 'Test', lastName: `Person ${nid}`, birthDate: '1990-01-01' },
  });
  if (response.statusCode !== 201) throw new Error(`registry: ${response.body}`);
  const suffix = nid.toLowerCase();
  return {
    nid,
    idCardNumber,
    email: `${suffix}@example.al`,
    phone: `+35569${String(serial).padStart(7, '0')}`,
  };
}

/** The newest code the dev outbox holds for an address. */
export function latestCode(t: TestApp, to: string): string {
  const entry = t.services.outbox.list(to)[0];
  const code = entry?.body.match(/\b(\d{6})\b/)?.[1];
  if (!code) throw new Error(`no code in the outbox for ${to}`);
  return code;
}

export interface Person {
  nid: string;
  idCardNumber: string;
  email: string;
  phone: string;
  password: string;
  token: string;
}

/** Registers and confirms a new citizen; returns their first session's token. */
export async function registeredPerson(
  t: TestApp,
  password = PASSWORD,
  securityAnswer = 'Drita',
): Promise<Person> {
  const person = await addCitizen(t);
  const registered = await t.gql(REGISTER_CITIZEN, {
    input: { ...person, password, securityQuestion: 'Emri i gjyshes?', securityAnswer },
  });
  const sent = registered.data.registerCitizen;
  if (sent.__typename !== 'OtpSent') throw new Error(JSON.stringify(registered));
  const confirmed = await t.gql(CONFIRM, {
    challengeId: sent.challengeId,
    code: latestCode(t, person.email),
  });
  const session = confirmed.data.confirmRegistration;
  if (session.__typename !== 'SessionStarted') throw new Error(JSON.stringify(confirmed));
  return { ...person, password, token: session.token };
}

/** startLogin + completeLogin with the code from the outbox. */
export async function signIn(t: TestApp, identifier: string, password: string, email: string) {
  const started = (await t.gql(START_LOGIN, { identifier, password })).data.startLogin;
  if (started.__typename !== 'OtpSent') return started;
  return (await t.gql(COMPLETE_LOGIN, { challengeId: started.challengeId, code: latestCode(t, email) })).data
    .completeLogin;
}

let niptSerial = 0;
/** A valid NIPT nobody else in this process uses. */
export function freshNipt(): string {
  niptSerial += 1;
  return `M${String(70_000_000 + niptSerial).padStart(8, '0')}Z`;
}

/** Adds a business administered by `administratorNid` to the sandbox business registry. */
export async function addBusiness(t: TestApp, administratorNid: string, nipt = freshNipt()) {
  const response = await t.app.inject({
    method: 'POST',
    url: '/dev/registry/businesses',
    payload: { nipt, name: `Test shpk ${nipt}`, administratorNid },
  });
  if (response.statusCode !== 201) throw new Error(`registry: ${response.body}`);
  return { nipt, name: `Test shpk ${nipt}` };
}

/** The input of registerBusiness for a business and its administrator; contacts of the business's own. */
export function businessInput(nipt: string, administratorNid: string) {
  const suffix = nipt.toLowerCase();
  return {
    nipt,
    administratorNid,
    email: `${suffix}@biz.example.al`,
    phone: `+35568${nipt.slice(2, 9)}`,
    password: PASSWORD,
    securityQuestion: 'Emri i furrës së parë?',
    securityAnswer: 'Furra',
  };
}

/**
 * Registers and confirms a business as its administrator does: signed in to their own citizen account
 * (`administrator.token`). Returns the business account's first session's token.
 */
export async function registeredBusiness(t: TestApp, administrator: Person) {
  const { nipt, name } = await addBusiness(t, administrator.nid);
  const input = businessInput(nipt, administrator.nid);
  const answer = await t.gql(REGISTER_BUSINESS, { input }, { token: administrator.token });
  const sent = answer.data.registerBusiness;
  if (sent.__typename !== 'OtpSent') throw new Error(JSON.stringify(answer));
  const confirmed = await t.gql(CONFIRM, { challengeId: sent.challengeId, code: latestCode(t, input.email) });
  const session = confirmed.data.confirmRegistration;
  if (session.__typename !== 'SessionStarted') throw new Error(JSON.stringify(confirmed));
  return { ...input, name, token: session.token as string };
}
