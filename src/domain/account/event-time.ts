import type { AccountEvent } from './events.js';

/**
 * When an account event happened, from its own `...At` field: account events carry no `occurredAt`,
 * and the store's recordedAt is the machine's wall clock, not the server clock every rule reads. As-of
 * answers (accountStatus) fold by this time.
 */
export function accountEventTime(event: AccountEvent): string {
  switch (event.type) {
    case 'AccountRegistered':
      return event.data.registeredAt;
    case 'RegistrationConfirmed':
      return event.data.confirmedAt;
    case 'OtpIssued':
    case 'TemporaryPasswordIssued':
      return event.data.issuedAt;
    case 'OtpDelivered':
      return event.data.deliveredAt;
    case 'OtpDeliveryFailed':
    case 'RecoveryFailed':
      return event.data.failedAt;
    case 'OtpVerified':
    case 'RecoveryCodeVerified':
      return event.data.verifiedAt;
    case 'OtpRejected':
    case 'PasswordRejected':
    case 'SecurityAnswerRejected':
    case 'RecoveryEmailRejected':
    case 'TemporaryPasswordRejected':
      return event.data.rejectedAt;
    case 'PasswordAccepted':
    case 'SecurityAnswerAccepted':
    case 'TemporaryPasswordAccepted':
      return event.data.acceptedAt;
    case 'AccountLocked':
      return event.data.lockedAt;
    case 'SignInRefused':
      return event.data.refusedAt;
    case 'AccountUnlocked':
      return event.data.unlockedAt;
    case 'PasswordChanged':
    case 'ContactChanged':
      return event.data.changedAt;
    case 'SessionStarted':
    case 'RecoveryStarted':
    case 'ContactChangeStarted':
      return event.data.startedAt;
    case 'SessionEnded':
      return event.data.endedAt;
    case 'RoleGranted':
      return event.data.grantedAt;
    case 'RoleRevoked':
      return event.data.revokedAt;
    case 'RecoveryEmailConfirmed':
      return event.data.confirmedAt;
    case 'TemporaryPasswordVoided':
      return event.data.voidedAt;
    case 'TemporaryPasswordUsed':
      return event.data.usedAt;
    case 'PasswordChangeAuthorised':
      return event.data.authorisedAt;
    case 'SecurityQuestionSet':
      return event.data.setAt;
    default: {
      const unexpected: never = event;
      throw new Error(`no time for ${JSON.stringify(unexpected)}`);
    }
  }
}
