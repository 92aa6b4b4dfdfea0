import type { Language } from '../domain/shared/language.js';

/**
 * Albanian unless the request's Accept-Language prefers English over Albanian (by order and q).
 */
export function preferredLanguage(header: string | undefined): Language {
  if (!header) return 'sq';
  const ranked = header
    .split(',')
    .map((part, index) => {
      const [tag = '', ...params] = part.trim().toLowerCase().split(';');
      const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
      return { lang: tag.split('-')[0], q: q ? Number(q.slice(2)) || 0 : 1, index };
    })
    .filter((r) => r.lang === 'en' || r.lang === 'sq')
    .sort((a, b) => b.q - a.q || a.index - b.index);
  return ranked[0]?.lang === 'en' && ranked[0].q > 0 ? 'en' : 'sq';
}
