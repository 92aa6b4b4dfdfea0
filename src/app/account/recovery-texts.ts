import { type Language, t } from '../../domain/shared/language.js';
import type { Message } from '../../infra/notify/port.js';

/** Messages of recovery, contact changes and the helpdesk, in the request's language. */
export function temporaryPasswordMessages(
  lang: Language,
  password: string,
  to: { phone: string; email: string },
): Message[] {
  const body = t(lang, {
    sq: `Fjalëkalimi juaj i përkohshëm e-Albania është ${password}. Përdoret një herë, brenda 24 orëve, për të vendosur një fjalëkalim të ri. Mos ia tregoni askujt.`,
    en: `Your temporary e-Albania password is ${password}. It works once, within 24 hours, to set a new password. Do not share it with anyone.`,
  });
  const subject = t(lang, { sq: 'Fjalëkalimi i përkohshëm', en: 'Your temporary password' });
  return [
    { channel: 'SMS', to: to.phone, subject: '', body, secrets: [password] },
    { channel: 'EMAIL', to: to.email, subject, body, secrets: [password] },
  ];
}

export type NoticeKind =
  | 'PASSWORD_CHANGED'
  | 'CONTACT_CHANGE_STARTED'
  | 'CONTACT_CHANGED'
  | 'TEMPORARY_PASSWORD_BY_HELPDESK';

const NOTICES: Record<NoticeKind, { subject: { sq: string; en: string }; body: { sq: string; en: string } }> =
  {
    PASSWORD_CHANGED: {
      subject: { sq: 'Fjalëkalimi u ndryshua', en: 'Your password was changed' },
      body: {
        sq: 'Fjalëkalimi i llogarisë suaj e-Albania u ndryshua. Nëse nuk e bëtë ju, kontaktoni menjëherë ndihmën.',
        en: 'The password of your e-Albania account was changed. If this was not you, contact the helpdesk at once.',
      },
    },
    CONTACT_CHANGE_STARTED: {
      subject: { sq: 'Kërkesë për ndryshim kontaktesh', en: 'Your contact details are being changed' },
      body: {
        sq: 'Dikush po ndryshon kontaktet (telefonin ose e-mailin) e llogarisë suaj e-Albania. Nëse nuk jeni ju, ndryshoni fjalëkalimin dhe kontaktoni menjëherë ndihmën.',
        en: 'Someone is changing the phone or e-mail of your e-Albania account. If this is not you, change your password and contact the helpdesk at once.',
      },
    },
    CONTACT_CHANGED: {
      subject: { sq: 'Kontaktet u ndryshuan', en: 'Your contact details were changed' },
      body: {
        sq: 'Telefoni ose e-maili i llogarisë suaj e-Albania u ndryshua. Nëse nuk e bëtë ju, kontaktoni menjëherë ndihmën.',
        en: 'The phone or e-mail of your e-Albania account was changed. If this was not you, contact the helpdesk at once.',
      },
    },
    TEMPORARY_PASSWORD_BY_HELPDESK: {
      subject: { sq: 'Fjalëkalim i përkohshëm nga ndihma', en: 'Temporary password from the helpdesk' },
      body: {
        sq: 'Ndihma e e-Albania dërgoi një fjalëkalim të përkohshëm për llogarinë tuaj. Nëse nuk e kërkuat ju, kontaktoni menjëherë ndihmën.',
        en: 'The e-Albania helpdesk sent a temporary password for your account. If you did not ask for it, contact the helpdesk at once.',
      },
    },
  };

/** A notice with no secret in it, to each address given. */
export function noticeMessages(
  lang: Language,
  kind: NoticeKind,
  to: { phones: string[]; emails: string[] },
): Message[] {
  const { subject, body } = NOTICES[kind];
  return [
    ...[...new Set(to.phones)].map(
      (phone): Message => ({ channel: 'SMS', to: phone, subject: '', body: t(lang, body) }),
    ),
    ...[...new Set(to.emails)].map(
      (email): Message => ({ channel: 'EMAIL', to: email, subject: t(lang, subject), body: t(lang, body) }),
    ),
  ];
}
