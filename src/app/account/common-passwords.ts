import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
// Read from src/ whether running from src or dist (the list is data, not compiled).
const file = join(here, '..', '..', '..', 'src', 'domain', 'account', 'common-passwords.txt');

let list: Set<string> | undefined;

/** The shipped blocklist of common passwords (lower-cased), loaded once. */
export function isCommonPassword(lowerCased: string): boolean {
  list ??= new Set(
    readFileSync(file, 'utf8')
      .split('\n')
      .map((line) => line.trim().toLowerCase())
      .filter(Boolean),
  );
  return list.has(lowerCased);
}
