/**
 * NIST SP 800-63B: length and a blocklist, no composition rules. Long passphrases are welcome; the
 * upper bound only keeps argon2's input sane. Judged on the password as typed (Unicode NFC).
 */
export const MIN_PASSWORD_LENGTH = 8;
export const MAX_PASSWORD_LENGTH = 256;

export type PasswordRefusal = 'TOO_SHORT' | 'TOO_LONG' | 'COMMON' | 'CONTAINS_IDENTIFIER';

/** Every reason a password is refused, in a stable order; empty when it is acceptable. */
export function judgePassword(
  password: string,
  identifiers: string[],
  isCommon: (lowerCased: string) => boolean,
): PasswordRefusal[] {
  const normalised = password.normalize('NFC');
  // Length in code points, so that 'ë' or an emoji counts as one character, as a person counts.
  const length = [...normalised].length;
  const refusals: PasswordRefusal[] = [];
  if (length < MIN_PASSWORD_LENGTH) refusals.push('TOO_SHORT');
  if (length > MAX_PASSWORD_LENGTH) refusals.push('TOO_LONG');
  const lower = normalised.toLowerCase();
  if (isCommon(lower)) refusals.push('COMMON');
  if (identifiers.some((id) => id.length > 0 && lower.includes(id.toLowerCase())))
    refusals.push('CONTAINS_IDENTIFIER');
  return refusals;
}
