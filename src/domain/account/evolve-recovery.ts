import type { ContactEvent, RecoveryEvent, TemporaryPasswordEvent } from './events.js';
import type { AccountState, Recovery, RecoveryPart, TemporaryPassword } from './state.js';

/** Pure and non-mutating, as the account fold (evolve.ts). */
/** The events that change the recovery part of the fold (RecoveryPart). */
export type RecoveryPartEvent = RecoveryEvent | TemporaryPasswordEvent | ContactEvent;

export function evolveRecovery(state: AccountState, event: RecoveryPartEvent): AccountState {
  const recoveryIs = (id: string) => state.recovery?.recoveryId === id;
  const tempIs = (id: string) => state.temporaryPassword?.temporaryPasswordId === id;
  switch (event.type) {
    case 'RecoveryStarted': {
      const { data } = event;
      return {
        ...state,
        accountId: state.accountId ?? data.accountId,
        recovery: {
          recoveryId: data.recoveryId,
          stage: 'CODE_SENT',
          wrongAttempts: 0,
          expiresAt: data.expiresAt,
        },
      };
    }
    case 'RecoveryCodeVerified':
      return recoveryIs(event.data.recoveryId) ? withRecovery(state, { stage: 'CODE_VERIFIED' }) : state;
    case 'SecurityAnswerRejected':
    case 'RecoveryEmailRejected':
      return recoveryIs(event.data.recoveryId)
        ? withRecovery(state, { wrongAttempts: event.data.wrongAttempts })
        : state;
    case 'RecoveryFailed':
      return recoveryIs(event.data.recoveryId) ? withRecovery(state, { stage: 'FAILED' }) : state;
    case 'SecurityAnswerAccepted':
    case 'RecoveryEmailConfirmed':
      return recoveryIs(event.data.recoveryId) ? withRecovery(state, { stage: 'DONE' }) : state;
    case 'TemporaryPasswordIssued': {
      const { data } = event;
      return {
        ...state,
        temporaryPassword: {
          temporaryPasswordId: data.temporaryPasswordId,
          passwordHash: data.passwordHash,
          requiresSecurityQuestion: data.requiresSecurityQuestion,
          expiresAt: data.expiresAt,
          wrongTries: 0,
          status: 'OPEN',
        },
      };
    }
    case 'TemporaryPasswordAccepted':
      return state;
    case 'TemporaryPasswordRejected':
      return tempIs(event.data.temporaryPasswordId)
        ? withTemporary(state, { wrongTries: event.data.wrongTries })
        : state;
    case 'TemporaryPasswordVoided':
      return tempIs(event.data.temporaryPasswordId) ? withTemporary(state, { status: 'VOIDED' }) : state;
    case 'TemporaryPasswordUsed':
      return tempIs(event.data.temporaryPasswordId) ? withTemporary(state, { status: 'USED' }) : state;
    case 'PasswordChangeAuthorised': {
      const { data } = event;
      return {
        ...state,
        changeGrant: {
          changeTokenHash: data.changeTokenHash,
          requiresSecurityQuestion: data.requiresSecurityQuestion,
          expiresAt: data.expiresAt,
          status: 'OPEN',
        },
      };
    }
    case 'SecurityQuestionSet':
      if (state.status === 'NONE') return state;
      return {
        ...state,
        profile: {
          ...state.profile,
          securityQuestion: event.data.personal.securityQuestion,
          securityAnswerHash: event.data.securityAnswerHash,
        },
      };
    case 'ContactChangeStarted':
      return { ...state, contactChange: { challengeId: event.data.challengeId, ...event.data.personal } };
    case 'ContactChanged': {
      if (state.status === 'NONE') return state;
      const { email, phone } = event.data.personal;
      return {
        ...state,
        contactChange: null,
        emailChangedAt: email !== undefined ? event.data.changedAt : state.emailChangedAt,
        profile: {
          ...state.profile,
          ...(email !== undefined ? { email } : {}),
          ...(phone !== undefined ? { phone } : {}),
        },
      };
    }
    default: {
      const unexpected: never = event;
      void unexpected;
      return state;
    }
  }
}

function withRecovery(state: AccountState, change: Partial<Recovery>): AccountState {
  return state.recovery ? { ...state, recovery: { ...state.recovery, ...change } } : state;
}

function withTemporary(state: AccountState, change: Partial<TemporaryPassword>): AccountState {
  return state.temporaryPassword
    ? { ...state, temporaryPassword: { ...state.temporaryPassword, ...change } }
    : state;
}

/** A password change ends a running recovery, stops the temporary password and spends the change token. */
export function afterPasswordChange(state: RecoveryPart): RecoveryPart {
  // A recovery still running ends too: whoever set the password holds the account now, and a recovery
  // someone else started (with an intercepted code, say) must not go on to a temporary password.
  const running = state.recovery?.stage === 'CODE_SENT' || state.recovery?.stage === 'CODE_VERIFIED';
  return {
    recovery: running ? null : state.recovery,
    temporaryPassword: null,
    changeGrant: state.changeGrant ? { ...state.changeGrant, status: 'USED' } : null,
    contactChange: state.contactChange,
    emailChangedAt: state.emailChangedAt,
  };
}
