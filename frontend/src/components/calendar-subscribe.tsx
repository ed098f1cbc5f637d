import { useState } from 'react';
import { useTranslation } from 'react-i18next';

/**
 * Subscribing to an organisation's calendar feed: a `webcal:` link that calendar apps open, and
 * the https address to copy into those that ask for one.
 */
export function CalendarSubscribe({ slug, lang }: { slug: string; lang: string }) {
  const { t } = useTranslation();
  const [copied, setCopied] = useState(false);
  const url = new URL(`/api/v1/orgs/${encodeURIComponent(slug)}/calendar.ics?lang=${encodeURIComponent(lang)}`, window.location.origin);
  const webcal = `webcal://${url.host}${url.pathname}${url.search}`;
  return (
    <p className="actions">
      <a href={webcal}>{t('calendar.subscribe')}</a>{' '}
      <button type="button" className="secondary" onClick={() => void navigator.clipboard?.writeText(url.href).then(() => setCopied(true))}>
        {copied ? t('calendar.copied') : t('calendar.copy')}
      </button>
    </p>
  );
}
