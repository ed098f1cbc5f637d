import i18n from 'i18next';
import { initReactI18next } from 'react-i18next';
import en from '../locales/en.json';
import pl from '../locales/pl.json';
import sk from '../locales/sk.json';
import srLatn from '../locales/sr-Latn.json';
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

void i18n.use(initReactI18next).init({
  resources: {
    en: { translation: en },
    sk: { translation: sk },
    pl: { translation: pl },
    'sr-Latn': { translation: srLatn },
    // Serbian Cyrillic is the Latin interface transliterated: one source, the same keys.
    'sr-Cyrl': { translation: cyrillicResources(srLatn) },
  },
  lng: pickLanguage({ chosen: chosenLanguage(), browser: typeof navigator === 'undefined' ? [] : navigator.languages }),
  fallbackLng: 'en',
  interpolation: { escapeValue: false },
});

i18n.on('languageChanged', (lng) => {
  document.documentElement.lang = lng;
});
document.documentElement.lang = i18n.language;

export default i18n;
