import { createHmac } from 'node:crypto';

/** Mailbox providers people in Albania use, local and foreign; only the initial and the TLD are shown. */
const DOMAINS = [
  'gmail.com',
  'yahoo.com',
  'hotmail.com',
  'outlook.com',
  'icloud.com',
  'live.com',
  'aol.com',
  'protonmail.com',
  'gmx.de',
  'libero.it',
  'yahoo.it',
  'abcom.al',
  'albmail.al',
  'vodafone.al',
  'one.al',
  'posta.al',
  'mail.ru',
  'yandex.com',
];
/**
 * First characters of a mailbox: letters twice as likely as digits, as in real addresses, and now and
 * then another character (masked as '_'), so every first character a real mask can show, a decoy can too.
 */
const FIRST = 'abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyz0123456789_';
/** Mobile prefixes and national lengths abroad (emigrants and foreign residents hold accounts too). */
const FOREIGN = [
  { prefix: '393', digits: 9 }, // Italy
  { prefix: '3069', digits: 8 }, // Greece
  { prefix: '4915', digits: 9 }, // Germany
  { prefix: '447', digits: 9 }, // United Kingdom
  { prefix: '1', digits: 10 }, // United States
];
/** One decoy in this many gets a foreign phone. */
const FOREIGN_ONE_IN = 6;

/**
 * Contacts for an identifier without an account, so that recovery answers it like any other: the
 * same every time (derived from the account id, itself a keyed hash of the identifier), drawn from the
 * shapes real contacts have (Albanian mobiles mostly, some foreign; any first character; many
 * providers), and only ever shown masked (masking.ts). Nothing is sent to them.
 */
export function decoyContacts(streamNamesKey: Buffer, accountId: string): { phone: string; email: string } {
  const bytes = createHmac('sha256', streamNamesKey).update(`recovery-decoy\u0000${accountId}`).digest();
  const digits = (from: number, n: number) =>
    [...bytes.subarray(from, from + n)].map((b) => String(b % 10)).join('');
  const foreign = bytes[12]! % FOREIGN_ONE_IN === 0 ? FOREIGN[bytes[13]! % FOREIGN.length]! : null;
  const phone = foreign
    ? `+${foreign.prefix}${digits(14, foreign.digits)}`
    : `+355${['67', '68', '69'][bytes[7]! % 3]}${digits(0, 7)}`;
  const first = FIRST[bytes[8]! % FIRST.length];
  const domain = DOMAINS[bytes[9]! % DOMAINS.length];
  return { phone, email: `${first}${bytes.readUInt16BE(10)}@${domain}` };
}
