import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Navigate, useNavigate } from 'react-router-dom';
import { ErrorMessage, Field, Loading, Select } from '../../../components/ui';
import { useAuth } from '../../../lib/auth';
import { fieldErrors } from '../../../lib/errors';
import { LANGUAGE_NAMES, LOCALES, type Locale } from '../../../lib/language';
import { canCreateOrg } from '../../../lib/permissions';
import { useCreateOrg } from '../api';

/** Platform admins create municipalities. */
export default function NewOrg() {
  const { t } = useTranslation();
  const { user } = useAuth();
  const navigate = useNavigate();
  const create = useCreateOrg();
  const error = create.error;
  const [defaultLocale, setDefaultLocale] = useState<Locale>('sk');
  const [locales, setLocales] = useState<Locale[]>(['sk', 'en']);
  if (user === undefined) return <Loading />;
  if (user === null) return <Navigate to="/login?next=/admin/orgs/new" />;
  if (!canCreateOrg(user)) return <p role="alert">{t('admin.forbidden')}</p>;

  const submit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    const text = (prefix: string) =>
      Object.fromEntries(locales.map((l) => [l, String(form.get(`${prefix}-${l}`) ?? '')]).filter(([, v]) => v !== ''));
    const enabled = locales.includes(defaultLocale) ? locales : [...locales, defaultLocale];
    create.mutate(
      {
        body: {
          slug: String(form.get('slug')),
          name: text('name'),
          description: text('description'),
          default_locale: defaultLocale,
          locales: enabled,
          time_zone: String(form.get('time_zone')),
          currency: String(form.get('currency')),
        },
      },
      { onSuccess: (org) => navigate(`/o/${org.slug}`) },
    );
  };
  const fields = fieldErrors(error);
  return (
    <section className="narrow">
      <h1>{t('admin.newOrgTitle')}</h1>
      <form onSubmit={submit} noValidate>
        <Field label={t('admin.slug')} name="slug" required hint={t('admin.slugHint')} error={fields.slug} />
        <Select label={t('admin.defaultLocale')} name="default_locale" value={defaultLocale} onChange={(e) => setDefaultLocale(e.target.value as Locale)}>
          {LOCALES.map((l) => (
            <option key={l} value={l}>
              {LANGUAGE_NAMES[l]}
            </option>
          ))}
        </Select>
        <fieldset>
          <legend>{t('admin.locales')}</legend>
          {LOCALES.map((l) => (
            <label key={l} className="check">
              <input type="checkbox" checked={locales.includes(l)} onChange={(e) => setLocales(e.target.checked ? [...locales, l] : locales.filter((x) => x !== l))} />{' '}
              {LANGUAGE_NAMES[l]}
            </label>
          ))}
          {fields.locales && <p className="field-error">{fields.locales}</p>}
        </fieldset>
        {locales.map((l) => (
          <Field key={`name-${l}`} label={t('admin.nameIn', { language: LANGUAGE_NAMES[l] })} name={`name-${l}`} lang={l} error={l === defaultLocale ? fields.name : undefined} />
        ))}
        {locales.map((l) => (
          <Field key={`description-${l}`} label={t('admin.descriptionIn', { language: LANGUAGE_NAMES[l] })} name={`description-${l}`} lang={l} />
        ))}
        <Field label={t('admin.timeZone')} name="time_zone" defaultValue="Europe/Bratislava" required error={fields.time_zone} />
        <Field label={t('admin.currency')} name="currency" defaultValue="EUR" required maxLength={3} error={fields.currency} />
        <ErrorMessage error={error} />
        <button type="submit" disabled={create.isPending}>
          {t('admin.create')}
        </button>
      </form>
    </section>
  );
}
