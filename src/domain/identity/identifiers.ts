/**
 * Albanian personal numbers (NID) and tax numbers (NIPT). The NID layout and check letter follow the
 * community-derived rule: decade character, year digit, month (+50 women, +30/+80 foreign residents),
 * day, 3-digit serial, check letter = ALPHABET[(1*v0 + 1*v1 + 2*v2 + ... + 8*v8) mod 23].
 */
const CHECK_ALPHABET = 'WABCDEFGHIJKLMNOPQRSTUV';
const WEIGHTS = [1, 1, 2, 3, 4, 5, 6, 7, 8];
const NID_SHAPE = /^[0-9A-T][0-9][0-9]{4}[0-9]{3}[A-W]$/;
const NIPT_SHAPE = /^[A-M][0-9]{8}[A-Z]$/;

/** Trim and upper-case: what every identifier goes through before anything else. */
export function normaliseIdentifier(raw: string): string {
  return raw.trim().toUpperCase();
}

function charValue(c: string): number {
  return c >= '0' && c <= '9' ? Number(c) : CHECK_ALPHABET.indexOf(c);
}

export function nidCheckLetter(firstNine: string): string {
  let sum = 0;
  for (let i = 0; i < 9; i++) sum += WEIGHTS[i]! * charValue(firstNine[i]!);
  return CHECK_ALPHABET[sum % 23]!;
}

export interface NidFacts {
  birthDate: string;
  sex: 'F' | 'M';
  foreignResident: boolean;
}

/** The facts a valid NID encodes, or null when it is not a valid NID (shape, date or check letter). */
export function parseNid(nid: string): NidFacts | null {
  if (!NID_SHAPE.test(nid)) return null;
  if (nidCheckLetter(nid.slice(0, 9)) !== nid[9]) return null;
  const decadeChar = nid[0]!;
  const decade =
    decadeChar <= '9' ? 1800 + Number(decadeChar) * 10 : 1900 + (decadeChar.charCodeAt(0) - 65) * 10;
  const year = decade + Number(nid[1]);
  const encodedMonth = Number(nid.slice(2, 4));
  const [month, sex, foreignResident] =
    encodedMonth >= 81
      ? [encodedMonth - 80, 'F' as const, true]
      : encodedMonth >= 51
        ? [encodedMonth - 50, 'F' as const, false]
        : encodedMonth >= 31
          ? [encodedMonth - 30, 'M' as const, true]
          : [encodedMonth, 'M' as const, false];
  const day = Number(nid.slice(4, 6));
  if (month < 1 || month > 12 || day < 1) return null;
  const date = new Date(Date.UTC(year, month - 1, day));
  if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day)
    return null;
  return { birthDate: date.toISOString().slice(0, 10), sex, foreignResident };
}

export function isValidNid(nid: string): boolean {
  return parseNid(nid) !== null;
}

export function isValidNipt(nipt: string): boolean {
  return NIPT_SHAPE.test(nipt);
}
