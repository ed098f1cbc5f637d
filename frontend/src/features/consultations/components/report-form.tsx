// Staff publish the report of a closed consultation, once: its text in the organisation's languages.
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorMessage, TextArea } from '../../../components/ui';
import { api } from '../../../lib/api-client';
import { isProblem } from '../../../lib/errors';
import { LANGUAGE_NAMES, type Locale } from '../../../lib/language';
import { localizedFieldErrors } from '../lib/staff';

/** The report's body: the non-blank texts by locale. */
export function reportBody(texts: Partial<Record<Locale, string>>): { text: Partial<Record<Locale, string>> } {
  const text: Partial<Record<Locale, string>> = {};
  for (const [l, v] of Object.entries(texts) as [Locale, string | undefined][]) {
    if (v && v.trim() !== '') text[l] = v;
  }
  return { text };
}

export function ReportForm({ slug, consultationId, locales, onPublished }: { slug: string; consultationId: string; locales: Locale[]; onPublished: () => void }) {
  const { t } = useTranslation();
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const submit = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    const texts: Partial<Record<Locale, string>> = {};
    for (const l of locales) texts[l] = String(form.get(`text-${l}`) ?? '');
    setBusy(true);
    const { error } = await api.POST('/api/v1/orgs/{org}/consultations/{id}/report', {
      params: { path: { org: slug, id: consultationId } },
      body: reportBody(texts),
    });
    setBusy(false);
    setError(error);
    if (!error) onPublished();
  };
  const fields = localizedFieldErrors(error, 'text', locales);
  const conflict =
    isProblem(error) && error.code === 'consultation-not-closed'
      ? t('consultations.reportNotClosed')
      : isProblem(error) && error.code === 'report-already-published'
        ? t('consultations.reportAlreadyPublished')
        : undefined;
  return (
    <section aria-labelledby="publish-report" className="panel">
      <h2 id="publish-report">{t('consultations.publishReport')}</h2>
      <p>{t('consultations.reportHint')}</p>
      <form onSubmit={(e) => void submit(e)} noValidate>
        {locales.map((l, i) => (
          <TextArea
            key={l}
            lang={l}
            label={`${t('consultations.reportText')} (${LANGUAGE_NAMES[l]})`}
            name={`text-${l}`}
            rows={6}
            maxLength={50000}
            required={i === 0}
            error={fields[l]}
          />
        ))}
        {conflict ? (
          <p role="alert" className="error">
            {conflict}
          </p>
        ) : (
          <ErrorMessage error={error} />
        )}
        <button type="submit" disabled={busy}>
          {t('consultations.publishReportButton')}
        </button>
      </form>
    </section>
  );
}
