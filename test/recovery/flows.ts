import type { TestApp } from '../support/harness.js';

/** GraphQL documents of recovery, contact change and the helpdesk, shared by the recovery tests. */
const RESULT = `__typename
  ... on RecoveryStep { recoveryId next channels { channel to } securityQuestion }
  ... on CodeRejected { reason attemptsLeft } ... on AnswerRejected { attemptsLeft }
  ... on EmailRejected { attemptsLeft } ... on RateLimited { retryAfterSeconds }`;
export const START_RECOVERY = `mutation($identifier: String!) { startPasswordRecovery(identifier: $identifier) { ${RESULT} } }`;
export const VERIFY_RECOVERY = `mutation($recoveryId: ID!, $code: String!) { verifyRecoveryCode(recoveryId: $recoveryId, code: $code) { ${RESULT} } }`;
export const RESEND_RECOVERY = `mutation($recoveryId: ID!) { resendRecoveryCode(recoveryId: $recoveryId) { ${RESULT} } }`;
export const ANSWER = `mutation($recoveryId: ID!, $answer: String!) { answerSecurityQuestion(recoveryId: $recoveryId, answer: $answer) { ${RESULT} } }`;
export const CONFIRM_EMAIL = `mutation($recoveryId: ID!, $email: String!) { confirmRecoveryEmail(recoveryId: $recoveryId, email: $email) { ${RESULT} } }`;
export const COMPLETE_LOGIN_ANY = `mutation($challengeId: ID!, $code: String!) { completeLogin(challengeId: $challengeId, code: $code) {
  __typename ... on SessionStarted { token } ... on PasswordChangeRequired { changeToken expiresAt requiresSecurityQuestion }
  ... on CodeRejected { reason attemptsLeft } ... on AccountLocked { lockedUntil } } }`;
export const SET_NEW_PASSWORD = `mutation($changeToken: String!, $newPassword: String!, $securityQuestion: String, $securityAnswer: String) {
  setNewPassword(changeToken: $changeToken, newPassword: $newPassword, securityQuestion: $securityQuestion, securityAnswer: $securityAnswer) {
  __typename ... on PasswordUpdated { account { identifier email phone } session { token } }
  ... on PasswordRefused { codes reasons } ... on CodeRejected { reason attemptsLeft } } }`;
export const START_CONTACT = `mutation($phone: String, $email: String) { startContactChange(phone: $phone, email: $email) {
  __typename ... on OtpSent { challengeId channels { channel to } } ... on Account { email phone }
  ... on InputRefused { field code } ... on CodeRejected { reason attemptsLeft } ... on RateLimited { retryAfterSeconds } } }`;
export const COMPLETE_CONTACT = `mutation($challengeId: ID!, $code: String!) { completeContactChange(challengeId: $challengeId, code: $code) {
  __typename ... on Account { email phone } ... on CodeRejected { reason attemptsLeft } ... on InputRefused { field code } } }`;
const STATUS = 'identifier locked lockedUntil failedPasswordAttempts lastSignInAt asOf';
export const HELPDESK_RESULT = `__typename ... on HelpdeskActionDone { account { ${STATUS} } } ... on InputRefused { field code message }`;
export const REGENERATE = `mutation($identifier: String!, $reason: String!, $phone: String, $email: String) {
  regeneratePassword(identifier: $identifier, reason: $reason, phone: $phone, email: $email) { ${HELPDESK_RESULT} } }`;
export const UNLOCK = `mutation($identifier: String!, $reason: String!) { unlockAccount(identifier: $identifier, reason: $reason) { ${HELPDESK_RESULT} } }`;
export const ACCOUNT_STATUS = `query($identifier: String!, $asOf: DateTime, $purpose: String) {
  accountStatus(identifier: $identifier, asOf: $asOf, purpose: $purpose) { ${STATUS} } }`;
export const MY_DATA_ACCESS =
  '{ myDataAccess { edges { node { at actor role purpose what read { kind asOf occasion action } } } } }';

/** The newest message the dev outbox holds for an address, once every delivery under way is done. */
export async function latestMessage(t: TestApp, to: string) {
  await t.services.notifier.idle();
  return t.services.outbox.list(to)[0];
}

/** The 6 digits (a code or a temporary password) of the newest message for an address. */
export async function latestSecret(t: TestApp, to: string): Promise<string> {
  const body = (await latestMessage(t, to))?.body ?? '';
  const digits = body.match(/\b(\d{6})\b/)?.[1];
  if (!digits) throw new Error(`no 6 digits in the newest message to ${to}: ${body}`);
  return digits;
}

/** Grants a role through the dev tool, as an event like any other. */
export async function grant(t: TestApp, identifier: string, role: string) {
  const response = await t.app.inject({ method: 'POST', url: '/dev/roles', payload: { identifier, role } });
  if (response.statusCode !== 201) throw new Error(`/dev/roles: ${response.body}`);
}
