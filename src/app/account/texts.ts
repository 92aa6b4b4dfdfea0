import type { CodePurpose } from '../../domain/account/events.js';
import { type Language, type Texts, t } from '../../domain/shared/language.js';
import type { Message } from '../../infra/notify/port.js';

/** Words for people, in Albanian and English; codes and field names stay English. */
const PURPOSE: Record<CodePurpose, Texts> = {
  REGISTRATION: { sq: 'për të konfirmuar regjistrimin', en: 'to confirm your registration' },
  SIGN_IN: { sq: 'për të hyrë', en: 'to sign in' },
  PASSWORD_CHANGE: { sq: 'për të ndryshuar fjalëkalimin', en: 'to change your password' },
  RECOVERY: { sq: 'për të rikuperuar llogarinë', en: 'to recover your account' },
  TEMPORARY_SIGN_IN: { sq: 'për të vendosur një fjalëkalim të ri', en: 'to set a new password' },
  CONTACT_CHANGE: { sq: 'për të konfirmuar kontaktin e ri', en: 'to confirm your new contact' },
};

/** The same code to the phone and the mailbox, in the request's language. */
export function codeMessages(
  lang: Language,
  purpose: CodePurpose,
  code: string,
  to: { phone: string; email: string },
): Message[] {
  const why = t(lang, PURPOSE[purpose]);
  const body = t(lang, {
    sq: `Kodi juaj e-Albania ${why} është ${code}. Vlen 10 minuta. Mos ia tregoni askujt.`,
    en: `Your e-Albania code ${why} is ${code}. It is valid for 10 minutes. Do not share it with anyone.`,
  });
  const subject = t(lang, { sq: 'Kodi juaj e-Albania', en: 'Your e-Albania code' });
  return [
    { channel: 'SMS', to: to.phone, subject: '', body, secrets: [code] },
    { channel: 'EMAIL', to: to.email, subject, body, secrets: [code] },
  ];
}
