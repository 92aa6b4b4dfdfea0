import type { ContactChangeResult } from '../../app/account/contact-change.js';
import type { HelpdeskResult } from '../../app/account/helpdesk.js';
import type { SetPasswordResult } from '../../app/account/password-change.js';
import type { RecoveryResult } from '../../app/account/recovery.js';
import type { RegisterResult } from '../../app/account/registration.js';
import type { InputRefused, PasswordRefused } from '../../app/account/results.js';
import type { RoleResult } from '../../app/account/roles.js';
import type { CompleteLoginResult, LoginResult, ResendResult } from '../../app/account/sign-in.js';
import { type Language, t } from '../../domain/shared/language.js';
import type { RequestContext } from '../context.js';
import { resolver } from '../resolvers/resolver.js';
import { INPUT_REFUSALS, loginRejectedText, PASSWORD_REASONS, QUESTION_REQUIRED } from './account-texts.js';

/** Every answer of the account, recovery and helpdesk use cases. */
export type AccountAnswer =
  | RegisterResult
  | LoginResult
  | CompleteLoginResult
  | ResendResult
  | SetPasswordResult
  | RecoveryResult
  | ContactChangeResult
  | HelpdeskResult
  | RoleResult;

type Schema<A> = A extends { kind: infer K } ? Omit<A, 'kind'> & { __typename: K } : never;

/**
 * An account answer as the schema's result member: its type name for the union, and the words a person
 * reads in the request's language. Everything else passes through as the use case gave it.
 */
export function toSchema(answer: AccountAnswer, lang: Language) {
  switch (answer.kind) {
    case 'LoginRejected':
      return { __typename: 'LoginRejected' as const, message: t(lang, loginRejectedText) };
    case 'InputRefused':
      return inputRefused(answer, lang);
    case 'PasswordRefused':
      return passwordRefused(answer, lang);
    case 'Account':
      return { __typename: 'Account' as const, ...answer.account };
    default: {
      const { kind, ...rest } = answer;
      return { __typename: kind, ...rest } as Schema<typeof answer>;
    }
  }
}

/** An input refusal with the words that tell the person what to change. */
export function inputRefused(answer: InputRefused, lang: Language) {
  const message = answer.passwordRefusals
    ? answer.passwordRefusals.map((code) => t(lang, PASSWORD_REASONS[code])).join(' ')
    : t(lang, INPUT_REFUSALS[answer.words] ?? INPUT_REFUSALS.INVALID);
  return { __typename: 'InputRefused' as const, field: answer.field, code: answer.code, message };
}

function passwordRefused(answer: PasswordRefused, lang: Language) {
  return {
    __typename: 'PasswordRefused' as const,
    codes: answer.codes,
    reasons: answer.codes.map((code) =>
      t(lang, code === 'QUESTION_REQUIRED' ? QUESTION_REQUIRED : PASSWORD_REASONS[code]),
    ),
  };
}

/** A resolver whose use case answers an account outcome: the outcome goes out as the schema's member. */
export const answering = (use: (args: unknown, context: RequestContext) => Promise<AccountAnswer>) =>
  resolver(async (args, context) => toSchema(await use(args, context), context.lang));
