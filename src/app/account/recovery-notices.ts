import { randomUUID } from 'node:crypto';
import type { Language } from '../../domain/shared/language.js';
import { accountStream } from '../../domain/shared/streams.js';
import type { Services } from '../services.js';
import { type NoticeKind, noticeMessages, temporaryPasswordMessages } from './recovery-texts.js';

/**
 * Tells the person by SMS and e-mail. The notifier records delivery outcomes on the account stream
 * under a challenge id; a notice has no challenge, so it gets its own `notice-` id there.
 */
export function sendNotice(
  services: Pick<Services, 'notifier'>,
  notice: {
    accountId: string;
    kind: NoticeKind;
    lang: Language;
    to: { phones: string[]; emails: string[] };
    correlationId: string;
  },
) {
  services.notifier.send({
    stream: accountStream(notice.accountId),
    accountId: notice.accountId,
    challengeId: `notice-${randomUUID()}`,
    correlationId: notice.correlationId,
    messages: noticeMessages(notice.lang, notice.kind, notice.to),
  });
}

/** The temporary password to the account's phone and e-mail; outcomes recorded under its id. */
export function sendTemporaryPassword(
  services: Pick<Services, 'notifier'>,
  delivery: {
    accountId: string;
    temporaryPasswordId: string;
    password: string;
    lang: Language;
    to: { phone: string; email: string };
    correlationId: string;
  },
) {
  services.notifier.send({
    stream: accountStream(delivery.accountId),
    accountId: delivery.accountId,
    challengeId: `temporary-password-${delivery.temporaryPasswordId}`,
    correlationId: delivery.correlationId,
    messages: temporaryPasswordMessages(delivery.lang, delivery.password, delivery.to),
  });
}
