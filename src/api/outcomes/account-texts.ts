import type { InputRefusalCode } from '../../app/account/results.js';
import type { PasswordRefusal } from '../../domain/account/password-policy.js';
import type { Texts } from '../../domain/shared/language.js';

/** The words a person reads in the account answers, in Albanian and English; codes stay English. */
export const loginRejectedText: Texts = {
  sq: 'Identifikuesi ose fjalëkalimi nuk është i saktë.',
  en: 'The identifier or the password is not correct.',
};

export const PASSWORD_REASONS: Record<PasswordRefusal, Texts> = {
  TOO_SHORT: {
    sq: 'Fjalëkalimi duhet të ketë të paktën 8 shenja.',
    en: 'The password must have at least 8 characters.',
  },
  TOO_LONG: {
    sq: 'Fjalëkalimi mund të ketë deri në 256 shenja.',
    en: 'The password may have at most 256 characters.',
  },
  COMMON: {
    sq: 'Ky fjalëkalim përdoret shumë shpesh; zgjidhni një tjetër.',
    en: 'This password is too common; choose another one.',
  },
  CONTAINS_IDENTIFIER: {
    sq: 'Fjalëkalimi nuk duhet të përmbajë numrin tuaj personal ose NIPT-in.',
    en: 'The password must not contain your personal number or NIPT.',
  },
};

export const INPUT_REFUSALS = {
  INVALID_NID: { sq: 'Numri personal nuk është i vlefshëm.', en: 'The personal number is not valid.' },
  INVALID_NIPT: { sq: 'NIPT-i nuk është i vlefshëm.', en: 'The NIPT is not valid.' },
  INVALID_EMAIL: { sq: 'Adresa e e-mailit nuk është e vlefshme.', en: 'The e-mail address is not valid.' },
  INVALID_PHONE: {
    sq: 'Numri i telefonit duhet të jetë në formatin ndërkombëtar, p.sh. +355691234567.',
    en: 'The phone number must be in international form, e.g. +355691234567.',
  },
  NOT_IN_REGISTRY: { sq: 'Ky numër nuk gjendet në regjistër.', en: 'This number is not in the registry.' },
  ID_CARD_MISMATCH: {
    sq: 'Numri i kartës së identitetit nuk përputhet me regjistrin.',
    en: 'The ID card number does not match the registry.',
  },
  NOT_ADMINISTRATOR: {
    sq: 'Ky person nuk është administratori i regjistruar i biznesit.',
    en: 'This person is not the registered administrator of the business.',
  },
  ADMINISTRATOR_SIGN_IN_REQUIRED: {
    sq: 'Administratori i biznesit duhet të hyjë fillimisht në llogarinë e vet si qytetar.',
    en: "The business's administrator must first sign in to their own citizen account.",
  },
  ALREADY_REGISTERED: {
    sq: 'Për këtë identifikues ekziston tashmë një llogari.',
    en: 'An account already exists for this identifier.',
  },
  REQUIRED: { sq: 'Kjo fushë është e detyrueshme.', en: 'This field is required.' },
  NOT_REGISTERED: {
    sq: 'Nuk ka llogari për këtë identifikues.',
    en: 'There is no account for this identifier.',
  },
  NOT_GRANTABLE: { sq: 'Ky rol nuk mund të jepet.', en: 'This role cannot be granted.' },
  NOT_HELD: { sq: 'Llogaria nuk e ka këtë rol.', en: 'The account does not hold this role.' },
  NOT_LOCKED: { sq: 'Llogaria nuk është e bllokuar.', en: 'The account is not locked.' },
  REAUTHENTICATION_REQUIRED: {
    sq: 'Për të ndryshuar kontaktet, hyni sërish me fjalëkalim dhe kod (brenda 15 minutave të fundit).',
    en: 'To change your contacts, sign in again with your password and code (within the last 15 minutes).',
  },
  STAFF_ACCOUNT: {
    sq: 'Kjo llogari mban një rol stafi (ose është e juaja): fjalëkalimin e saj e rigjeneron vetëm një ADMIN.',
    en: 'This account holds a staff role (or is your own): only an ADMIN can regenerate its password.',
  },
  REASON_TOO_SHORT: {
    sq: 'Shkruani arsyen me të paktën 10 shkronja.',
    en: 'Give the reason in at least 10 characters.',
  },
  INVALID: { sq: 'Vlera nuk është e vlefshme.', en: 'The value is not valid.' },
} satisfies Record<InputRefusalCode, Texts>;

export const QUESTION_REQUIRED: Texts = {
  sq: 'Vendosni një pyetje sigurie të re dhe përgjigjen e saj.',
  en: 'Set a new security question and its answer.',
};
