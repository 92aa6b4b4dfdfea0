import type { Texts } from '../../domain/shared/language.js';

/** Why an input was refused, in both languages; the code itself stays English. */
export const REFUSAL_TEXTS: Record<string, Texts> = {
  NOT_ALLOWED_IN_STATUS: {
    sq: 'Ky veprim nuk lejohet në gjendjen aktuale të aplikimit.',
    en: 'This action is not allowed in the application’s current status.',
  },
  UNKNOWN_SERVICE: { sq: 'Ky shërbim nuk ekziston.', en: 'There is no such service.' },
  NOT_FOR_AUDIENCE: {
    sq: 'Ky shërbim nuk ofrohet për llojin tuaj të llogarisë.',
    en: 'This service is not offered to your kind of applicant.',
  },
  DOCUMENTS_REQUIRED: {
    sq: 'Ngarkoni një dokument PDF për secilin dokument të kërkuar.',
    en: 'Upload one PDF for each required document.',
  },
  DUPLICATE_DOCUMENT: {
    sq: 'I njëjti dokument është dhënë dy herë.',
    en: 'The same document is given twice.',
  },
  UNKNOWN_DOCUMENT: { sq: 'Dokumenti nuk u gjet.', en: 'The document was not found.' },
  DOCUMENT_ALREADY_ATTACHED: {
    sq: 'Dokumenti i përket tashmë një aplikimi tjetër.',
    en: 'The document already belongs to another application.',
  },
  TOO_MANY_DOCUMENTS: { sq: 'Janë dhënë shumë dokumente.', en: 'Too many documents are given.' },
  ALREADY_RATED: {
    sq: 'Këtë aplikim e keni vlerësuar tashmë.',
    en: 'You have already rated this application.',
  },
  OUT_OF_RANGE: {
    sq: 'Vlerësimi duhet të jetë nga 1 deri në 5 yje.',
    en: 'The rating must be 1 to 5 stars.',
  },
  INVALID_COUNTRY: {
    sq: 'Shtetësia duhet të jetë një kod ISO 3166-1 me dy shkronja.',
    en: 'The nationality must be an ISO 3166-1 two-letter code.',
  },
  INVALID_PASSPORT: {
    sq: 'Numri i pasaportës nuk është i vlefshëm.',
    en: 'The passport number is not valid.',
  },
  INVALID_EMAIL: { sq: 'Adresa e-mail nuk është e vlefshme.', en: 'The e-mail address is not valid.' },
  REQUIRED: { sq: 'Kjo fushë është e detyrueshme.', en: 'This field is required.' },
  ALREADY_SUBMITTED: { sq: 'Aplikimi ekziston tashmë.', en: 'The application already exists.' },
};

export const refusalText = (code: string): Texts =>
  REFUSAL_TEXTS[code] ?? { sq: 'Të dhënat nuk u pranuan.', en: 'The input was not accepted.' };
