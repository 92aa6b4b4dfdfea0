import type { Channel } from '../../domain/account/events.js';
import type { PasswordRefusal } from '../../domain/account/password-policy.js';
import type { ActiveAccount, Profile } from '../../domain/account/state.js';
import { type Language, t } from '../../domain/shared/language.js';
import { maskEmail, maskPhone } from './masking.js';
import { INPUT_REFUSALS, type InputRefusalCode, loginRejectedText, PASSWORD_REASONS } from './texts.js';

/** Result-union members as the contract names them (graphql resolves unions by __typename). */
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
  __typename: 'OtpSent';
  challengeId: string;
  channels: Array<{ channel: Channel; to: string }>;
  expiresAt: string;
};
export type LoginRejected = { __typename: 'LoginRejected'; message: string };
export type AccountLockedResult = { __typename: 'AccountLocked'; lockedUntil: string };
export type RateLimitedResult = { __typename: 'RateLimited'; retryAfterSeconds: number };
export type CodeRejectedResult = { __typename: 'CodeRejected'; reason: string; attemptsLeft: number };
export type SessionStartedResult = {
  __typename: 'SessionStarted';
  token: string;
  expiresAt: string;
  account: AccountView;
};
export type InputRefused = { __typename: 'InputRefused'; field: string; code: string; message: string };
export type PasswordRefused = { __typename: 'PasswordRefused'; codes: string[]; reasons: string[] };
export type PasswordUpdated = {
  __typename: 'PasswordUpdated';
  account: AccountView;
  session: SessionStartedResult | null;
};
export type RoleChanged = { __typename: 'RoleChanged'; account: AccountView };

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
  __typename: 'OtpSent',
  challengeId,
  channels: channels.map((channel) => ({
    channel,
    to: channel === 'SMS' ? maskPhone(to.phone) : maskEmail(to.email),
  })),
  expiresAt,
});
export const loginRejected = (lang: Language): LoginRejected => ({
  __typename: 'LoginRejected',
  message: t(lang, loginRejectedText),
});
export const accountLocked = (lockedUntil: string): AccountLockedResult => ({
  __typename: 'AccountLocked',
  lockedUntil,
});
export const rateLimitedResult = (retryAfterSeconds: number): RateLimitedResult => ({
  __typename: 'RateLimited',
  retryAfterSeconds,
});
export const codeRejected = (reason: string, attemptsLeft: number): CodeRejectedResult => ({
  __typename: 'CodeRejected',
  reason,
  attemptsLeft,
});
export const inputRefused = (
  lang: Language,
  field: string,
  code: string,
  words: InputRefusalCode = code as InputRefusalCode,
): InputRefused => ({
  __typename: 'InputRefused',
  field,
  code,
  message: t(lang, INPUT_REFUSALS[words] ?? INPUT_REFUSALS.INVALID),
});
export const passwordRefused = (lang: Language, codes: PasswordRefusal[]): PasswordRefused => ({
  __typename: 'PasswordRefused',
  codes,
  reasons: codes.map((code) => t(lang, PASSWORD_REASONS[code])),
});
