/**
 * How contacts are shown (OtpSent, RecoveryStep): enough for a person to recognise their own, and one
 * shape for every account, so that the look-alike channels of an identifier without an account
 * (recovery-decoy.ts) cannot be told apart from real ones. Change both together.
 */

/** '+355691234567' -> '+355 69*****67'. */
export function maskPhone(phone: string): string {
  const digits = phone.replace(/^\+/, '');
  const country = digits.startsWith('355') ? '355' : digits.slice(0, Math.min(3, digits.length - 4));
  const rest = digits.slice(country.length);
  return `+${country} ${rest.slice(0, 2)}${'*'.repeat(Math.max(1, rest.length - 4))}${rest.slice(-2)}`;
}

/**
 * 'Arben@Example.AL' -> 'a***@e***.al': the first character of the mailbox and of the domain, and the
 * top-level domain; the domain itself would tell a person's provider (or employer) and set a real
 * account apart from a decoy. Lower case, as addresses compare.
 */
export function maskEmail(email: string): string {
  const at = email.lastIndexOf('@');
  const local = email.slice(0, Math.max(1, at)).toLowerCase();
  const domain = email.slice(at + 1).toLowerCase();
  const dot = domain.lastIndexOf('.');
  const tld = dot > 0 ? domain.slice(dot) : '';
  return `${local.slice(0, 1)}***@${domain.slice(0, 1)}***${tld}`;
}
