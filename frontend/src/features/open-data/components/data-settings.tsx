import type { FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorMessage, Field, Loading } from '../../../components/ui';
import { fieldErrors } from '../../../lib/errors';
import { useRetention, useSetLicence, useSetRetention } from '../api';

const DEFAULT_LICENCE = 'https://creativecommons.org/licenses/by/4.0/';

/** Admins choose the licence of the organisation's open data (empty: CC BY 4.0). */
export function LicenceSettings({ slug, licence }: { slug: string; licence: string }) {
  const { t } = useTranslation();
  const saving = useSetLicence();
  const submit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const value = String(new FormData(e.currentTarget).get('licence')).trim();
    saving.mutate({ params: { path: { org: slug } }, body: { licence: value === '' ? null : value } });
  };
  const fields = fieldErrors(saving.error);
  return (
    <section aria-labelledby="licence-settings">
      <h2 id="licence-settings">{t('openData.licenceTitle')}</h2>
      <form onSubmit={submit} noValidate>
        <Field
          label={t('openData.licenceField')}
          name="licence"
          type="url"
          defaultValue={licence === DEFAULT_LICENCE ? '' : licence}
          hint={t('openData.licenceHint')}
          error={fields.licence}
        />
        <ErrorMessage error={saving.error} />
        {saving.isSuccess && <p role="status">{t('common.saved')}</p>}
        <button type="submit" disabled={saving.isPending}>
          {t('common.save')}
        </button>
      </form>
    </section>
  );
}

type Period = 'registration_months' | 'report_contact_months' | 'opinion_contact_months';
const PERIODS: Period[] = ['registration_months', 'report_contact_months', 'opinion_contact_months'];

/** Admins choose how long residents' contact details are kept (empty: until they delete their account). */
export function RetentionSettings({ slug }: { slug: string }) {
  const { t } = useTranslation();
  const current = useRetention(slug, true);
  const saving = useSetRetention();
  if (current.isPending) return <Loading />;
  if (!current.data) return <ErrorMessage error={current.error} />;
  const submit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    const months = (k: Period) => {
      const v = String(form.get(k)).trim();
      return v === '' ? null : Number(v);
    };
    saving.mutate({
      params: { path: { org: slug } },
      body: { registration_months: months('registration_months'), report_contact_months: months('report_contact_months'), opinion_contact_months: months('opinion_contact_months') },
    });
  };
  const fields = fieldErrors(saving.error);
  const data = current.data;
  return (
    <section aria-labelledby="retention-settings">
      <h2 id="retention-settings">{t('privacy.retentionTitle')}</h2>
      <p className="hint">{t('privacy.retentionIntro')}</p>
      <form onSubmit={submit} noValidate>
        {PERIODS.map((k) => (
          <Field
            key={k}
            label={t(`privacy.retention_${k}`)}
            name={k}
            type="number"
            min={1}
            max={120}
            inputMode="numeric"
            defaultValue={data[k] ?? ''}
            hint={t('privacy.retentionHint')}
            error={fields[k]}
          />
        ))}
        <ErrorMessage error={saving.error} />
        {saving.isSuccess && <p role="status">{t('common.saved')}</p>}
        <button type="submit" disabled={saving.isPending}>
          {t('common.save')}
        </button>
      </form>
    </section>
  );
}
