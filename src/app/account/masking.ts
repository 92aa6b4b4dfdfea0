/** '+355691234567' -> '+355 69*****67': enough for a person to recognise their own number. */
export function maskPhone(phone: string): string {
  const digits = phone.replace(/^\+/, '');
  const country = digits.startsWith('355') ? '355' : digits.slice(0, Math.min(3, digits.length - 4));
  const rest = digits.slice(country.length);
  return `+${country} ${rest.slice(0, 2)}${'*'.repeat(Math.max(1, rest.length - 4))}${rest.slice(-2)}`;
}

/** 'arben@example.al' -> 'a***@example.al'. */
export function maskEmail(email: string): string {
  const at = email.lastIndexOf('@');
  return `${email.slice(0, 1)}***${email.slice(at)}`;
}
