import type { Channel } from '../../domain/account/events.js';
import type { PasswordRefusal } from '../../domain/account/password-policy.js';
import type { ActiveAccount, Profile } from '../../domain/account/state.js';
import { maskEmail, maskPhone } from './masking.js';

/**
 * What the account use cases answer: outcomes named as the contract's result members, in the domain's
 * terms. The api (src/api/outcomes/account.ts) turns each into its schema type, with the words a person
 * reads in the request's language; nothing here knows GraphQL.
 */
export interface AccountView {
  id: string;
  kind: 'CITIZEN' | 'BUSINESS';
  identifier: string;
  displayName: string;
  roles: string[];
  institution: string | null;
  email: string;
  phone: string;
  lastSignInAt: string | null;
}

export type OtpSent = {
  kind: 'OtpSent';
  challengeId: string;
  channels: Array<{ channel: Channel; to: string }>;
  expiresAt: string;
};
export type LoginRejected = { kind: 'LoginRejected' };
export type AccountLockedResult = { kind: 'AccountLocked'; lockedUntil: string };
export type RateLimitedResult = { kind: 'RateLimited'; retryAfterSeconds: number };
export type CodeRejectedResult = { kind: 'CodeRejected'; reason: string; attemptsLeft: number };
export type SessionStartedResult = {
  kind: 'SessionStarted';
  token: string;
  expiresAt: string;
  account: AccountView;
};
/**
 * An input refused: the field, the code a program reads, and what to tell the person (`words`, or the
 * password rules it broke).
 */
export type InputRefused = {
  kind: 'InputRefused';
  field: string;
  code: string;
  words: InputRefusalCode;
  passwordRefusals?: PasswordRefusal[];
};
/** The new password's faults; QUESTION_REQUIRED when a new security question must come with it. */
export type PasswordRefused = {
  kind: 'PasswordRefused';
  codes: Array<PasswordRefusal | 'QUESTION_REQUIRED'>;
};
export type PasswordUpdated = {
  kind: 'PasswordUpdated';
  account: AccountView;
  session: SessionStartedResult | null;
};
export type RoleChanged = { kind: 'RoleChanged'; account: AccountView };

export function accountView(state: ActiveAccount): AccountView {
  const { profile } = state;
  const caseworker = state.roles.find((r) => r.role === 'CASEWORKER');
  return {
    id: state.accountId ?? '',
    kind: profile.kind,
    identifier: profile.identifier,
    displayName: profile.displayName,
    roles: [profile.kind, ...state.roles.map((r) => r.role)],
    institution: caseworker?.institution ?? null,
    email: profile.email,
    phone: profile.phone,
    lastSignInAt: state.lastSignInAt,
  };
}

export const otpSent = (
  challengeId: string,
  expiresAt: string,
  to: Pick<Profile, 'email' | 'phone'>,
  channels: readonly Channel[] = ['SMS', 'EMAIL'],
): OtpSent => ({
  kind: 'OtpSent',
  challengeId,
  channels: channels.map((channel) => ({
    channel,
    to: channel === 'SMS' ? maskPhone(to.phone) : maskEmail(to.email),
  })),
  expiresAt,
});
export const loginRejected = (): LoginRejected => ({ kind: 'LoginRejected' });
export const accountLocked = (lockedUntil: string): AccountLockedResult => ({
  kind: 'AccountLocked',
  lockedUntil,
});
export const rateLimitedResult = (retryAfterSeconds: number): RateLimitedResult => ({
  kind: 'RateLimited',
  retryAfterSeconds,
});
export const codeRejected = (reason: string, attemptsLeft: number): CodeRejectedResult => ({
  kind: 'CodeRejected',
  reason,
  attemptsLeft,
});
export const inputRefused = (
  field: string,
  code: string,
  words: InputRefusalCode = code as InputRefusalCode,
): InputRefused => ({ kind: 'InputRefused', field, code, words });
export const passwordRefused = (codes: PasswordRefused['codes']): PasswordRefused => ({
  kind: 'PasswordRefused',
  codes,
});

/** The refusals a person is told about in words (src/api/outcomes/account-texts.ts has them). */
export type InputRefusalCode =
  | 'INVALID_NID'
  | 'INVALID_NIPT'
  | 'INVALID_EMAIL'
  | 'INVALID_PHONE'
  | 'NOT_IN_REGISTRY'
  | 'ID_CARD_MISMATCH'
  | 'NOT_ADMINISTRATOR'
  | 'ADMINISTRATOR_SIGN_IN_REQUIRED'
  | 'ALREADY_REGISTERED'
  | 'REQUIRED'
  | 'NOT_REGISTERED'
  | 'NOT_GRANTABLE'
  | 'NOT_HELD'
  | 'NOT_LOCKED'
  | 'REAUTHENTICATION_REQUIRED'
  | 'STAFF_ACCOUNT'
  | 'REASON_TOO_SHORT'
  | 'INVALID';
