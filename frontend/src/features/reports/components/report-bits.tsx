import { useTranslation } from 'react-i18next';
import { Localized } from '../../../components/ui';
import type { Schemas } from '../../../lib/api-client';
import type { LocalizedText } from '../../../lib/language';

/** A resident's plain text, in the language they wrote it (Serbian shown in the reader's script). */
export function Written({ text, locale, as }: { text: string; locale: string; as?: 'span' | 'h1' | 'h2' | 'p' }) {
  const localized = { [locale]: text } as LocalizedText;
  return <Localized text={localized} fallback={locale} as={as} />;
}

export function StatusBadge({ status }: { status: Schemas['ReportStatusDto'] }) {
  const { t } = useTranslation();
  return <span className={`badge status-${status}`}>{t(`reports.status_${status}`)}</span>;
}
