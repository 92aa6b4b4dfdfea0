/**
 * How contacts are shown (OtpSent, RecoveryStep): enough for a person to recognise their own, and one
 * shape for every account, so that the look-alike channels of an identifier without an account
 * (recovery-decoy.ts) cannot be told apart from real ones. Change both together.
 */

/**
 * '+355691234567' -> '+*** *** **67': the last two digits only. Country and operator would set a real
 * foreign or unusual number apart from every decoy; the last two digits of any number are what every
 * decoy can show too.
 */
export function maskPhone(phone: string): string {
  const digits = phone.replace(/\D/g, '');
  return `+*** *** **${digits.slice(-2).padStart(2, '0')}`;
}

/**
 * 'Arben@Example.AL' -> 'a***@***': the first character of the mailbox only (lower case; any character
 * other than a letter or digit shows as '_'). The domain, even its initial or top-level part, would tell
 * a person's provider (or employer) and set a real address at an uncommon domain apart from a decoy.
 */
export function maskEmail(email: string): string {
  const first = email.trim().slice(0, 1).toLowerCase();
  return `${/^[a-z0-9]$/.test(first) ? first : '_'}***@***`;
}
