/** The portal's two languages: Albanian first, English for those who ask for it. */
export type Language = 'sq' | 'en';

/** A text in both languages; `t(lang, {sq, en})` picks one. */
export interface Texts {
  sq: string;
  en: string;
}
export const t = (lang: Language, texts: Texts): string => texts[lang];
