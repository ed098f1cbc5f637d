import i18n from 'i18next';
import resourcesToBackend from 'i18next-resources-to-backend';
import { initReactI18next } from 'react-i18next';
import { pickLanguage, type Locale } from './language';
import { cyrillicResources } from './serbian';

const STORAGE_KEY = 'pnyx.language';

export function chosenLanguage(): string | null {
  try {
    return localStorage.getItem(STORAGE_KEY);
  } catch {
    return null;
  }
}

export function rememberLanguage(lang: Locale) {
  try {
    localStorage.setItem(STORAGE_KEY, lang);
  } catch {
    // Private mode: the choice lasts for this page only.
  }
}

/**
 * One language's interface texts, each its own chunk fetched when that language is first used, so
 * the first page loads only the reader's language. Serbian Cyrillic is the Latin interface
 * transliterated: one source, the same keys.
 */
export async function loadLocale(lng: string): Promise<object> {
  switch (lng) {
    case 'sk':
      return (await import('../locales/sk.json')).default;
    case 'pl':
      return (await import('../locales/pl.json')).default;
    case 'sr-Latn':
      return (await import('../locales/sr-Latn.json')).default;
    case 'sr-Cyrl':
      return cyrillicResources((await import('../locales/sr-Latn.json')).default);
    default:
      return (await import('../locales/en.json')).default;
  }
}

/**
 * Resolves once the reader's language is loaded; the app renders after it. A change of language
 * (`changeLanguage`) loads the new one before switching to it. Every language has every key (a test
 * holds them to it), so no fallback language is fetched besides.
 */
const initialLanguage = pickLanguage({
  chosen: chosenLanguage(),
  browser: typeof navigator === 'undefined' ? [] : navigator.languages,
});

export const i18nReady = i18n
  .use(resourcesToBackend((lng: string) => loadLocale(lng)))
  .use(initReactI18next)
  .init({
    lng: initialLanguage,
    // `sr-Cyrl` is a language of its own here, not `sr` with a fallback to it.
    load: 'currentOnly',
    fallbackLng: false,
    interpolation: { escapeValue: false },
  });

i18n.on('languageChanged', (lng) => {
  document.documentElement.lang = lng;
});
// The page is in the reader's language from the start (`i18n.language` is not set until that
// language's texts have loaded; `lang="undefined"` meanwhile would be invalid).
document.documentElement.lang = i18n.language || initialLanguage;

export default i18n;
