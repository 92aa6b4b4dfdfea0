import { z } from 'zod';
import { completePasswordChange, startPasswordChange } from '../../app/account/password-change.js';
import { confirmRegistration, registerBusiness, registerCitizen } from '../../app/account/registration.js';
import { accountView } from '../../app/account/results.js';
import { changeRole } from '../../app/account/roles.js';
import { completeLogin, logout, resendCode, startLogin } from '../../app/account/sign-in.js';
import { accountModel } from '../../domain/account/decide.js';
import { accountStream } from '../../domain/shared/streams.js';
import { type RequestContext, SESSION_COOKIE } from '../context.js';
import { type AccountAnswer, answering } from '../outcomes/account.js';
import { passGate } from './gates.js';
import type { FeatureResolvers } from './index.js';
import { resolver } from './resolver.js';

// Generous bounds: they only keep absurd inputs out; the password policy gives the real answers.
const text = (max: number) => z.string().max(max);
const Password = text(4096);
const Code = text(32);
const ChallengeId = text(128);
const Contacts = {
  email: text(254),
  phone: text(32),
  password: Password,
  securityQuestion: text(500),
  securityAnswer: text(500),
};
const RegisterCitizenArgs = z.object({
  input: z.object({ nid: text(32), idCardNumber: text(32), ...Contacts }),
});
const RegisterBusinessArgs = z.object({
  input: z.object({ nipt: text(32), administratorNid: text(32), ...Contacts }),
});
const CodeArgs = z.object({ challengeId: ChallengeId, code: Code });
const StartLoginArgs = z.object({ identifier: text(64), password: Password });
const ResendArgs = z.object({ challengeId: ChallengeId });
const StartChangeArgs = z.object({ currentPassword: Password });
const CompleteChangeArgs = z.object({ challengeId: ChallengeId, code: Code, newPassword: Password });
const Reason = z.string().trim().min(1, 'a reason is required').max(1000);
const GrantArgs = z.object({
  identifier: text(64),
  role: text(32),
  institution: text(64).nullish(),
  reason: Reason,
});
const RevokeArgs = z.object({ identifier: text(64), role: text(32), reason: Reason });

/** The session token also goes into an HttpOnly cookie, so a portal page never has to keep it in script. */
function withSessionCookie<T extends AccountAnswer>(context: RequestContext, result: T): T {
  if (result.kind === 'SessionStarted') {
    const { token, expiresAt } = result;
    context.reply.setCookie(SESSION_COOKIE, token, {
      httpOnly: true,
      sameSite: 'strict',
      secure: context.services.config.NODE_ENV !== 'development',
      path: '/',
      expires: new Date(expiresAt),
    });
  }
  return result;
}

const adminActor = (accountId: string) => ({
  kind: 'STAFF' as const,
  accountId,
  role: 'ADMIN',
  display: 'Admin',
});

export const accountResolvers: FeatureResolvers = {
  Query: {
    me: resolver(async (_args, context) => {
      const viewer = await context.viewer();
      if (!viewer) return null;
      const { state } = await context.services.commands.load(accountStream(viewer.accountId), accountModel);
      return state.status === 'ACTIVE' ? accountView(state) : null;
    }),
  },
  Mutation: {
    registerCitizen: answering(async (args, context) =>
      registerCitizen(context.services, context, RegisterCitizenArgs.parse(args).input),
    ),
    registerBusiness: answering(async (args, context) => {
      const { input } = RegisterBusinessArgs.parse(args);
      return registerBusiness(context.services, context, await context.viewer(), input);
    }),
    confirmRegistration: answering(async (args, context) => {
      const { challengeId, code } = CodeArgs.parse(args);
      return withSessionCookie(
        context,
        await confirmRegistration(context.services, context, challengeId, code),
      );
    }),
    startLogin: answering(async (args, context) => {
      const { identifier, password } = StartLoginArgs.parse(args);
      return startLogin(context.services, context, identifier, password);
    }),
    completeLogin: answering(async (args, context) => {
      const { challengeId, code } = CodeArgs.parse(args);
      return withSessionCookie(context, await completeLogin(context.services, context, challengeId, code));
    }),
    resendCode: answering(async (args, context) =>
      resendCode(context.services, context, ResendArgs.parse(args).challengeId),
    ),
    logout: resolver(async (_args, context) => {
      const ended = await logout(context.services, context, await context.viewer());
      context.reply.clearCookie(SESSION_COOKIE, { path: '/' });
      return ended;
    }),
    startPasswordChange: answering(async (args, context) => {
      const viewer = await context.requireViewer();
      return startPasswordChange(
        context.services,
        context,
        viewer,
        StartChangeArgs.parse(args).currentPassword,
      );
    }),
    completePasswordChange: answering(async (args, context) => {
      const viewer = await context.requireViewer();
      const { challengeId, code, newPassword } = CompleteChangeArgs.parse(args);
      return completePasswordChange(context.services, context, viewer, challengeId, code, newPassword);
    }),
    grantRole: answering(async (args, context) => {
      const { viewer } = await passGate(context, 'grantRole');
      const change = GrantArgs.parse(args);
      return changeRole(
        context.services,
        context,
        context.meta(adminActor(viewer.accountId)),
        change,
        'GRANT',
        { viewer, origin: context },
      );
    }),
    revokeRole: answering(async (args, context) => {
      const { viewer } = await passGate(context, 'revokeRole');
      const change = RevokeArgs.parse(args);
      return changeRole(
        context.services,
        context,
        context.meta(adminActor(viewer.accountId)),
        change,
        'REVOKE',
        { viewer, origin: context },
      );
    }),
  },
};
