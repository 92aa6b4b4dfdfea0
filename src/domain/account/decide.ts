import type { Decider, StreamModel } from '../shared/decider.js';
import { resendCode } from './codes.js';
import type { AccountCommand } from './commands.js';
import { completeContactChange, startContactChange } from './contact-change.js';
import type { AccountEvent } from './events.js';
import { evolve } from './evolve.js';
import { regeneratePassword, unlockAccount } from './helpdesk.js';
import type { AccountDecision, AccountOutcome } from './outcomes.js';
import { changePassword, setNewPassword } from './password-change.js';
import {
  answerSecurityQuestion,
  confirmRecoveryEmail,
  startRecovery,
  verifyRecoveryCode,
} from './recovery.js';
import { confirmRegistration, register } from './registration.js';
import { grantRole, revokeRole } from './roles.js';
import { endSession } from './sessions.js';
import { decideCompleteSignIn, decideStartSignIn } from './sign-in.js';
import { type AccountState, initialState } from './state.js';

/**
 * The account's one decider: every command of an `account-` stream (and of an `attempts-` stream, which
 * folds the same way) is decided here, by the module of its concept. Deciding is a pure function of the
 * stream: the handler did the impure work first (argon2, the code's HMAC, fresh ids, the clock, rate
 * limits) and passed the results in.
 */
export function decide(command: AccountCommand, state: AccountState): AccountDecision {
  switch (command.type) {
    case 'RegisterAccount':
      return register(state, command);
    case 'ConfirmRegistration':
      return confirmRegistration(state, command);
    case 'StartSignIn':
      return decideStartSignIn(state, command);
    case 'CompleteSignIn':
      return decideCompleteSignIn(state, command);
    case 'ResendCode':
      return resendCode(state, command);
    case 'EndSession':
      return endSession(state, command);
    case 'ChangePassword':
      return changePassword(state, command);
    case 'SetNewPassword':
      return setNewPassword(state, command);
    case 'GrantRole':
      return grantRole(state, command);
    case 'RevokeRole':
      return revokeRole(state, command);
    case 'StartRecovery':
      return startRecovery(command);
    case 'VerifyRecoveryCode':
      return verifyRecoveryCode(state, command);
    case 'AnswerSecurityQuestion':
      return answerSecurityQuestion(state, command);
    case 'ConfirmRecoveryEmail':
      return confirmRecoveryEmail(state, command);
    case 'RegeneratePassword':
      return regeneratePassword(state, command);
    case 'UnlockAccount':
      return unlockAccount(state, command);
    case 'StartContactChange':
      return startContactChange(state, command);
    case 'CompleteContactChange':
      return completeContactChange(state, command);
    default: {
      const unexpected: never = command;
      throw new Error(`unknown account command ${JSON.stringify(unexpected)}`);
    }
  }
}

/** The fold every account command decides on; `name` keys the command handler's cache of it. */
export const accountModel: StreamModel<AccountState, AccountEvent> = {
  name: 'account',
  initialState,
  evolve,
};

export const accountDecider: Decider<AccountCommand, AccountState, AccountEvent, AccountOutcome> = {
  ...accountModel,
  decide,
};
