import { useTranslation } from 'react-i18next';
import { api } from '../lib/api-client';
import { useAuth } from '../lib/auth';
import { rememberLanguage } from '../lib/i18n';
import { LANGUAGE_NAMES, LOCALES, type Locale } from '../lib/language';

/** On every page: switches the interface, remembers it, and saves it to the profile when signed in. */
export function LanguageSwitcher() {
  const { t, i18n } = useTranslation();
  const { user, setUser } = useAuth();
  const change = async (lang: Locale) => {
    rememberLanguage(lang);
    await i18n.changeLanguage(lang);
    if (user && user.locale !== lang) {
      const { data } = await api.PATCH('/api/v1/me', { body: { locale: lang } });
      if (data) setUser(data);
    }
  };
  return (
    <div className="language-switcher">
      <label htmlFor="language-select">{t('app.language')}</label>
      <select id="language-select" value={i18n.language} onChange={(e) => void change(e.target.value as Locale)}>
        {LOCALES.map((l) => (
          <option key={l} value={l} lang={l}>
            {LANGUAGE_NAMES[l]}
          </option>
        ))}
      </select>
    </div>
  );
}
