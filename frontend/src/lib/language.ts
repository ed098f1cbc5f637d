import { toCyrillic, toLatin } from './serbian';

/** The locales the interface speaks, as BCP 47 tags (the API uses the same). */
export const LOCALES = ['sk', 'pl', 'sr-Latn', 'sr-Cyrl', 'en'] as const;
export type Locale = (typeof LOCALES)[number];

export const LANGUAGE_NAMES: Record<Locale, string> = {
  sk: 'Slovenčina',
  pl: 'Polski',
  'sr-Latn': 'Srpski (latinica)',
  'sr-Cyrl': 'Српски (ћирилица)',
  en: 'English',
};

/**
 * Maps a browser or user tag (e.g. `sk-SK`, `sr`, `sr-Latn-RS`) to one of ours. Serbian without a
 * script (`sr`, `sr-RS`) is Cyrillic, the official script.
 */
export function toLocale(tag: string | null | undefined): Locale | undefined {
  if (!tag) return undefined;
  const lower = tag.toLowerCase();
  if (lower === 'sr' || lower.startsWith('sr-') || lower.startsWith('sr_')) {
    return lower.split(/[-_]/).includes('latn') ? 'sr-Latn' : 'sr-Cyrl';
  }
  const base = lower.split('-')[0];
  return LOCALES.find((l) => l === base);
}

/**
 * The interface language: the signed-in user's profile, else the language the visitor chose
 * on this device, else the browser's, else the municipality's default, else English.
 */
export function pickLanguage(input: {
  profile?: string | null;
  chosen?: string | null;
  browser?: readonly string[];
  orgDefault?: string | null;
}): Locale {
  const candidates = [input.profile, input.chosen, ...(input.browser ?? []), input.orgDefault];
  for (const c of candidates) {
    const l = toLocale(c);
    if (l) return l;
  }
  return 'en';
}

/** Multilingual text as the API sends it. */
export type LocalizedText = Partial<Record<Locale, string | null>>;

/**
 * Whether `text` has the organisation's default language: for Serbian, either script will do (the
 * other is shown transliterated), as the server's rule says.
 */
export function hasDefaultText(text: LocalizedText | null | undefined, defaultLocale: Locale): boolean {
  const other = otherScript(defaultLocale);
  return !!text?.[defaultLocale]?.trim() || (!!other && !!text?.[other]?.trim());
}

/** The same language in its other script (Serbian only). */
function otherScript(l: Locale): Locale | undefined {
  return l === 'sr-Latn' ? 'sr-Cyrl' : l === 'sr-Cyrl' ? 'sr-Latn' : undefined;
}

/**
 * The text in `lang`, else in the fallback (the organisation's default), else any; with the
 * language it is shown in, so the UI can say so. Serbian written in one script only is shown in
 * the script asked for, transliterated.
 */
export function resolveText(
  text: LocalizedText | null | undefined,
  lang: Locale,
  fallback?: string | null,
): { text: string; lang: Locale } | undefined {
  if (!text) return undefined;
  const order: Locale[] = [lang, ...(toLocale(fallback) ? [toLocale(fallback) as Locale] : []), ...LOCALES];
  for (const l of order) {
    const t = text[l];
    if (t && t.trim()) return { text: t, lang: l };
    const other = otherScript(l);
    const o = other && text[other];
    if (o && o.trim()) return { text: l === 'sr-Cyrl' ? toCyrillic(o) : toLatin(o), lang: l };
  }
  return undefined;
}
