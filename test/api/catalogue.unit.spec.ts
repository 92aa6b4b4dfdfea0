import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { asApiError, ERROR_CODES } from '../../src/api/errors.js';
import { preferredLanguage } from '../../src/api/language.js';
import { USE_CASE_ERRORS, UseCaseError, type UseCaseErrorCode } from '../../src/app/errors.js';

describe('error catalogue', () => {
  const contract = readFileSync(new URL('../../src/api/schema.graphql', import.meta.url), 'utf8');
  const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');

  it('covers every GraphQL error code the contract names', () => {
    for (const code of [
      'UNAUTHENTICATED',
      'FORBIDDEN',
      'BAD_USER_INPUT',
      'RATE_LIMITED',
      'NOT_FOUND',
      'UNAVAILABLE',
      'INTERNAL',
    ]) {
      expect(contract).toContain(code);
      expect(ERROR_CODES).toHaveProperty(code);
    }
  });

  it('documents every code in the README and gives distinct meanings', () => {
    for (const code of Object.keys(ERROR_CODES)) expect(readme).toContain(`\`${code}\``);
    const meanings = Object.values(ERROR_CODES).map((e) => e.meaning);
    expect(new Set(meanings).size).toBe(meanings.length);
  });

  it("maps every use case's error to the api's code, status and words in one place", () => {
    for (const code of Object.keys(USE_CASE_ERRORS) as UseCaseErrorCode[]) {
      const mapped = asApiError(new UseCaseError(code, `words for ${code}`, { retryAfterSeconds: 7 }));
      expect(mapped).toMatchObject({ code, status: ERROR_CODES[code].status, message: `words for ${code}` });
      expect(mapped?.extra).toEqual({ retryAfterSeconds: 7 });
    }
    expect(asApiError(new Error('not ours'))).toBeUndefined();
  });
});

describe('language of texts', () => {
  it.each([
    [undefined, 'sq'],
    ['en', 'en'],
    ['en-GB,en;q=0.9', 'en'],
    ['sq,en;q=0.8', 'sq'],
    ['sq;q=0.5,en;q=0.9', 'en'],
    ['de,fr', 'sq'],
    ['en;q=0', 'sq'],
  ])('Accept-Language %s gives %s', (header, lang) => {
    expect(preferredLanguage(header)).toBe(lang);
  });
});
