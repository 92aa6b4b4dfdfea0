import type { EventToAppend } from '../eventstore/port.js';
import type { PortalMetrics } from './portal-metrics.js';

/** The status an application event moves its application to (the status-change counter's label). */
const APPLICATION_STATUS: Record<string, string> = {
  ApplicationSubmitted: 'SUBMITTED',
  ApplicationAssigned: 'IN_REVIEW',
  InformationRequested: 'INFORMATION_REQUESTED',
  InformationProvided: 'IN_REVIEW',
  ApplicationApproved: 'APPROVED',
  ApplicationRejected: 'REJECTED',
  ApplicationWithdrawn: 'WITHDRAWN',
};

/** Recovery events as (step, outcome). */
const RECOVERY_STEP: Record<string, [string, string]> = {
  RecoveryStarted: ['start', 'started'],
  RecoveryCodeVerified: ['code', 'accepted'],
  SecurityAnswerAccepted: ['security_answer', 'accepted'],
  SecurityAnswerRejected: ['security_answer', 'rejected'],
  RecoveryFailed: ['security_answer', 'failed'],
  RecoveryEmailConfirmed: ['email', 'accepted'],
  RecoveryEmailRejected: ['email', 'rejected'],
  TemporaryPasswordAccepted: ['temporary_password_sign_in', 'accepted'],
  TemporaryPasswordRejected: ['temporary_password_sign_in', 'rejected'],
};

const LOCK_BY_PASSWORDS = 'TOO_MANY_WRONG_PASSWORDS';

/** A label value from event data only when it is one of a few plain words (never free text). */
const word = (value: unknown, fallback: string) =>
  typeof value === 'string' && /^[A-Z0-9_]{1,40}$/.test(value) ? value : fallback;

export interface EventCounterOptions {
  /** The institution of an application already submitted (the read model), for later status changes. */
  institutionOf(applicationId: string): string | null;
}

/**
 * Moves the domain counters for the events of one successful append. Counting what this instance
 * appended (not what it folds) keeps the sum over instances exact: every instance folds every event.
 */
export function countAppended(
  metrics: PortalMetrics,
  events: readonly EventToAppend[],
  options: EventCounterOptions,
): void {
  // The password failure that starts a lock is counted once, as `locked`, not also as `rejected`.
  const lockedByPassword = events.some(
    (e) => e.type === 'AccountLocked' && word(e.data.reason, LOCK_BY_PASSWORDS) === LOCK_BY_PASSWORDS,
  );
  for (const { type, data } of events) {
    switch (type) {
      case 'PasswordAccepted':
        metrics.signIns.inc({ outcome: 'accepted' });
        break;
      case 'PasswordRejected':
        metrics.signIns.inc({ outcome: lockedByPassword ? 'locked' : 'rejected' });
        break;
      case 'SignInRefused':
        metrics.signIns.inc({ outcome: 'refused_locked' });
        break;
      case 'AccountLocked':
        metrics.locks.inc({ reason: word(data.reason, LOCK_BY_PASSWORDS) });
        break;
      case 'OtpIssued':
        metrics.codesIssued.inc();
        break;
      case 'OtpRejected':
        metrics.wrongCodes.inc();
        break;
      case 'TemporaryPasswordIssued':
        if (data.via === 'HELPDESK') metrics.helpdesk.inc({ action: 'regenerate_password' });
        else metrics.recoveries.inc({ step: 'temporary_password', outcome: 'issued' });
        break;
      case 'AccountUnlocked':
        metrics.helpdesk.inc({ action: 'unlock' });
        break;
      case 'OtpDelivered':
      case 'StatusEmailDelivered':
        metrics.deliveries.inc({ channel: word(data.channel, 'EMAIL'), result: 'delivered' });
        break;
      case 'OtpDeliveryFailed':
      case 'StatusEmailDeliveryFailed':
        metrics.deliveries.inc({
          channel: word(data.channel, 'EMAIL'),
          result: data.retryable === true ? 'retried' : 'failed',
        });
        break;
      case 'AuditVerificationPassed':
        metrics.auditVerifications.inc({ result: 'passed' });
        break;
      case 'AuditVerificationFailed':
        metrics.auditVerifications.inc({ result: 'failed' });
        break;
      default: {
        const step = RECOVERY_STEP[type];
        if (step) {
          metrics.recoveries.inc({ step: step[0], outcome: step[1] });
          break;
        }
        const status = APPLICATION_STATUS[type];
        if (status) {
          const institution =
            type === 'ApplicationSubmitted'
              ? data.institution
              : options.institutionOf(String(data.applicationId));
          metrics.applicationStatus.inc({ status, institution: word(institution, 'UNKNOWN') });
        }
      }
    }
  }
}
