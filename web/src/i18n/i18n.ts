// One catalogue per language (sq.ts, en.ts); Albanian unless the person chose English, a choice kept
// in localStorage (a preference, not a secret). <html lang> follows the choice.
import { en } from './en';
import { type Key, sq } from './sq';

export type Language = 'sq' | 'en';
const STORAGE_KEY = 'portal.language';
const catalogues: Record<Language, Record<Key, string>> = { sq, en };

function stored(): Language {
  try {
    return localStorage.getItem(STORAGE_KEY) === 'en' ? 'en' : 'sq';
  } catch {
    return 'sq';
  }
}

let language: Language = stored();
const listeners = new Set<() => void>();

export const currentLanguage = (): Language => language;

export function setLanguage(next: Language): void {
  language = next;
  try {
    localStorage.setItem(STORAGE_KEY, next);
  } catch {
    // A browser refusing storage still switches for this visit.
  }
  document.documentElement.lang = next;
  for (const listener of listeners) listener();
}

export function onLanguageChange(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** The text of `key` in the chosen language, with `{name}` placeholders filled from `params`. */
export function t(key: Key, params: Record<string, string | number> = {}): string {
  return catalogues[language][key].replace(/\{(\w+)\}/g, (_, name: string) => String(params[name] ?? ''));
}

/** A date and time in the chosen language, in the browser's time zone, with the zone named. */
export function formatDateTime(iso: string): string {
  return new Intl.DateTimeFormat(language === 'sq' ? 'sq-AL' : 'en-GB', {
    // dateStyle cannot be combined with timeZoneName: the parts, spelled out.
    year: 'numeric',
    month: 'long',
    day: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    timeZoneName: 'short',
  }).format(new Date(iso));
}

export type { Key };
