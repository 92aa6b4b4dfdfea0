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

/**
 * A date and time in the chosen language, in the browser's time zone, with the zone named:
 * "4 dhjetor 2026, 22:29 CET". The month names come from the catalogue: browsers without Albanian
 * locale data (Debian's Chromium among them) would otherwise print "2026 M12 4".
 */
export function formatDateTime(iso: string): string {
  const parts = new Intl.DateTimeFormat('en-GB', {
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
    timeZoneName: 'short',
  }).formatToParts(new Date(iso));
  const part = (type: Intl.DateTimeFormatPartTypes) => parts.find((p) => p.type === type)?.value ?? '';
  const month = t('date.months').split(',')[Number(part('month')) - 1] ?? part('month');
  return `${Number(part('day'))} ${month} ${part('year')}, ${part('hour')}:${part('minute')} ${part('timeZoneName')}`;
}

export type { Key };
