import { z } from 'zod';
import { completeContactChange, startContactChange } from '../../app/account/contact-change.js';
import {
  answerSecurityQuestion,
  confirmRecoveryEmail,
  resendRecoveryCode,
  startPasswordRecovery,
  verifyRecoveryCode,
} from '../../app/account/recovery.js';
import { setNewPassword } from '../../app/account/recovery-password.js';
import { answering } from '../outcomes/account.js';
import type { FeatureResolvers } from './index.js';

// Generous bounds: they only keep absurd inputs out; the use cases give the real answers.
const text = (max: number) => z.string().max(max);
const RecoveryId = text(128);
const StartArgs = z.object({ identifier: text(64) });
const CodeArgs = z.object({ recoveryId: RecoveryId, code: text(32) });
const ResendArgs = z.object({ recoveryId: RecoveryId });
const AnswerArgs = z.object({ recoveryId: RecoveryId, answer: text(500) });
const EmailArgs = z.object({ recoveryId: RecoveryId, email: text(254) });
const SetPasswordArgs = z.object({
  changeToken: text(200),
  newPassword: text(4096),
  securityQuestion: text(500).nullish(),
  securityAnswer: text(500).nullish(),
});
const StartContactArgs = z.object({ phone: text(32).nullish(), email: text(254).nullish() });
const CompleteContactArgs = z.object({ challengeId: text(128), code: text(32) });

/** Password recovery (both branches), setNewPassword after a temporary password, and contact changes. */
export const recoveryResolvers: FeatureResolvers = {
  Mutation: {
    startPasswordRecovery: answering(async (args, context) =>
      startPasswordRecovery(context.services, context, StartArgs.parse(args).identifier),
    ),
    verifyRecoveryCode: answering(async (args, context) => {
      const { recoveryId, code } = CodeArgs.parse(args);
      return verifyRecoveryCode(context.services, context, recoveryId, code);
    }),
    resendRecoveryCode: answering(async (args, context) =>
      resendRecoveryCode(context.services, context, ResendArgs.parse(args).recoveryId),
    ),
    answerSecurityQuestion: answering(async (args, context) => {
      const { recoveryId, answer } = AnswerArgs.parse(args);
      return answerSecurityQuestion(context.services, context, recoveryId, answer);
    }),
    confirmRecoveryEmail: answering(async (args, context) => {
      const { recoveryId, email } = EmailArgs.parse(args);
      return confirmRecoveryEmail(context.services, context, recoveryId, email);
    }),
    setNewPassword: answering(async (args, context) =>
      setNewPassword(context.services, context, SetPasswordArgs.parse(args)),
    ),
    startContactChange: answering(async (args, context) => {
      const viewer = await context.requireViewer();
      return startContactChange(context.services, context, viewer, StartContactArgs.parse(args));
    }),
    completeContactChange: answering(async (args, context) => {
      const viewer = await context.requireViewer();
      const { challengeId, code } = CompleteContactArgs.parse(args);
      return completeContactChange(context.services, context, viewer, challengeId, code);
    }),
  },
};
