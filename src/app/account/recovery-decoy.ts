import { createHmac } from 'node:crypto';

const DOMAINS = ['gmail.com', 'yahoo.com', 'hotmail.com', 'outlook.com', 'abcom.al', 'icloud.com'];
const LETTERS = 'abcdefghijklmnoprstuvz';

/**
 * Contacts for an identifier without an account, so that recovery answers it like any other: the
 * same every time (derived from the account id, itself a keyed hash of the identifier), shaped like
 * an Albanian mobile number and a common mailbox, and only ever shown masked. Nothing is sent to them.
 */
export function decoyContacts(streamNamesKey: Buffer, accountId: string): { phone: string; email: string } {
  const bytes = createHmac('sha256', streamNamesKey).update(`recovery-decoy\u0000${accountId}`).digest();
  const digits = [...bytes.subarray(0, 7)].map((b) => String(b % 10)).join('');
  const operator = ['67', '68', '69'][bytes[7]! % 3];
  const letter = LETTERS[bytes[8]! % LETTERS.length];
  const domain = DOMAINS[bytes[9]! % DOMAINS.length];
  return { phone: `+355${operator}${digits}`, email: `${letter}${bytes.readUInt16BE(10)}@${domain}` };
}
