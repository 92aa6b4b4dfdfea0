import type { AuditedStreamKind, MyDataAccessQuery, ReadingAction } from '../generated/operations';
import { formatDateTime, type Key, t } from '../i18n/i18n';
import { ROLE_KEYS } from './actor';

type ReadingSubject = NonNullable<MyDataAccessQuery['myDataAccess']['edges'][number]['node']['read']>;

const ACTION_KEYS: Record<ReadingAction, Key> = {
  ASSIGN_APPLICATION: 'dataAccess.read.action.ASSIGN_APPLICATION',
  REQUEST_INFORMATION: 'dataAccess.read.action.REQUEST_INFORMATION',
  PROVIDE_INFORMATION: 'dataAccess.read.action.PROVIDE_INFORMATION',
  APPROVE_APPLICATION: 'dataAccess.read.action.APPROVE_APPLICATION',
  REJECT_APPLICATION: 'dataAccess.read.action.REJECT_APPLICATION',
  WITHDRAW_APPLICATION: 'dataAccess.read.action.WITHDRAW_APPLICATION',
  RATE_SERVICE: 'dataAccess.read.action.RATE_SERVICE',
  MARK_OVERDUE: 'dataAccess.read.action.MARK_OVERDUE',
  REGENERATE_PASSWORD: 'dataAccess.read.action.REGENERATE_PASSWORD',
  UNLOCK_ACCOUNT: 'dataAccess.read.action.UNLOCK_ACCOUNT',
  GRANT_ROLE: 'dataAccess.read.action.GRANT_ROLE',
  REVOKE_ROLE: 'dataAccess.read.action.REVOKE_ROLE',
};

const STREAM_KIND_KEYS: Record<AuditedStreamKind, Key> = {
  ACCOUNT: 'dataAccess.read.stream.ACCOUNT',
  APPLICATION: 'dataAccess.read.stream.APPLICATION',
  ATTEMPTS: 'dataAccess.read.stream.ATTEMPTS',
  DATA_ACCESS: 'dataAccess.read.stream.DATA_ACCESS',
  DOCUMENT: 'dataAccess.read.stream.DOCUMENT',
  OTHER: 'dataAccess.read.stream.OTHER',
};

/** The action whose answer showed the data, e.g. "after it was approved"; null when a fact is missing. */
function actionText(read: ReadingSubject): string | null {
  if (!read.action) return null;
  if (read.action === 'GRANT_ROLE' || read.action === 'REVOKE_ROLE')
    return read.role ? t(ACTION_KEYS[read.action], { role: t(ROLE_KEYS[read.role]) }) : null;
  return t(ACTION_KEYS[read.action]);
}

function applicationText(read: ReadingSubject, id: string): string | null {
  if (read.asOf) return t('dataAccess.read.applicationAsOf', { id, at: formatDateTime(read.asOf) });
  switch (read.occasion) {
    case null:
      return t('dataAccess.read.application', { id });
    case 'CASE_QUEUE':
      return t('dataAccess.read.applicationInQueue', { id });
    case 'LIVE_UPDATES_STARTED':
      return t('dataAccess.read.applicationFollowed', { id });
    case 'LIVE_UPDATE':
      return t('dataAccess.read.applicationLiveUpdate', { id });
    case 'ANSWER_TO_ACTION': {
      const action = actionText(read);
      return action ? t('dataAccess.read.applicationAnswer', { id, action }) : null;
    }
  }
}

function accountStatusText(read: ReadingSubject): string | null {
  if (read.asOf) return t('dataAccess.read.accountStatusAsOf', { at: formatDateTime(read.asOf) });
  if (read.occasion !== 'ANSWER_TO_ACTION') return t('dataAccess.read.accountStatus');
  const action = actionText(read);
  return action ? t('dataAccess.read.accountStatusAnswer', { action }) : null;
}

function wording(read: ReadingSubject): string | null {
  switch (read.kind) {
    case 'APPLICATION':
      return read.applicationId ? applicationText(read, read.applicationId) : null;
    case 'DOCUMENT':
      return read.documentId && read.applicationId
        ? t('dataAccess.read.document', { documentId: read.documentId, applicationId: read.applicationId })
        : null;
    case 'ACCOUNT_STATUS':
      return accountStatusText(read);
    case 'ACCOUNT': {
      const action = actionText(read);
      return action ? t('dataAccess.read.accountAnswer', { action }) : null;
    }
    case 'AUDIT_HISTORY':
      return read.streamKinds.length === 0
        ? t('dataAccess.read.auditHistory')
        : t('dataAccess.read.auditHistoryOf', {
            kinds: read.streamKinds.map((kind) => t(STREAM_KIND_KEYS[kind])).join(', '),
          });
  }
}

/**
 * What a staff member read of the person's data, in the chosen language, worded from the facts the
 * API gives (DataAccess.read). The API's own words are English, as the event records them: they are
 * shown only when it gives no facts (an older wording) or a fact is missing.
 */
export function whatWasReadText(read: ReadingSubject | null, english: string): string {
  return (read && wording(read)) ?? english;
}
