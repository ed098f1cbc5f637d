// Staff publish the report of a closed consultation, once: its text in the organisation's languages.
import type { FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { MultilingualInput } from '../../../components/forms';
import { ErrorMessage } from '../../../components/ui';
import { errorsByPath } from '../../../lib/errors';
import { localizedFrom } from '../../../lib/forms';
import type { Locale } from '../../../lib/language';
import { usePublishReport } from '../api';

/** The report form; a conflict (not closed yet, already published) is told in words by its code. */
export function ReportForm({ slug, consultationId, locales }: { slug: string; consultationId: string; locales: Locale[] }) {
  const { t } = useTranslation();
  const publish = usePublishReport();
  const submit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const text = localizedFrom(new FormData(e.currentTarget), 'text', locales);
    publish.mutate({ params: { path: { org: slug, id: consultationId } }, body: { text } });
  };
  return (
    <section aria-labelledby="publish-report" className="panel">
      <h2 id="publish-report">{t('consultations.publishReport')}</h2>
      <p>{t('consultations.reportHint')}</p>
      <form onSubmit={submit} noValidate>
        <MultilingualInput name="text" label={t('consultations.reportText')} locales={locales} errors={errorsByPath(publish.error)} required multiline rows={6} maxLength={50000} />
        <ErrorMessage error={publish.error} />
        <button type="submit" disabled={publish.isPending}>
          {t('consultations.publishReportButton')}
        </button>
      </form>
    </section>
  );
}
