import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorMessage, Loading, Localized } from '../../../components/ui';
import { api, type Schemas } from '../../../lib/api-client';
import { useApi } from '../../../lib/use-api';
import { localizedBody, serverFieldErrors, type Texts } from '../utils/meeting-form';
import { LocalizedFields } from './localized-fields';

interface Props {
  slug: string;
  org: Schemas['OrgResponse'];
  meetingId: string;
}

/** Follow-up activities: those added so far, with their co-owners, and a form for a new one. */
export function ActivitiesPanel({ slug, org, meetingId }: Props) {
  const { t } = useTranslation();
  const path = { org: slug, id: meetingId };
  const list = useApi(() => api.GET('/api/v1/orgs/{org}/meetings/{id}/activities', { params: { path } }), [slug, meetingId]);
  const [title, setTitle] = useState<Texts>({});
  const [description, setDescription] = useState<Texts>({});
  const [clientErrors, setClientErrors] = useState<Record<string, string>>({});
  const [error, setError] = useState<unknown>();
  const [added, setAdded] = useState(false);
  const [busy, setBusy] = useState(false);
  const errors = { ...serverFieldErrors(error), ...clientErrors };

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setAdded(false);
    if (!title[org.default_locale]?.trim()) {
      setClientErrors({ [`title.${org.default_locale}`]: t('meetingStaff.errors.required') });
      setError({ status: 422, code: 'validation-failed' });
      return;
    }
    setClientErrors({});
    setBusy(true);
    const { error } = await api.POST('/api/v1/orgs/{org}/meetings/{id}/activities', {
      params: { path },
      body: { title: localizedBody(title, org), description: localizedBody(description, org) },
    });
    setBusy(false);
    setError(error);
    if (!error) {
      setAdded(true);
      setTitle({});
      setDescription({});
      list.reload();
    }
  };

  const localized = { locales: org.locales, defaultLocale: org.default_locale, errors };
  return (
    <section aria-labelledby="activities-heading" className="panel">
      <h2 id="activities-heading">{t('meetings.activities')}</h2>
      {list.loading && !list.data && <Loading />}
      <ErrorMessage error={list.error} />
      {list.data && list.data.items.length === 0 && <p>{t('common.none')}</p>}
      {list.data && list.data.items.length > 0 && (
        <ul className="cards">
          {list.data.items.map((a) => (
            <li key={a.id} className="card">
              <Localized as="h3" text={a.title} fallback={org.default_locale} />
              <Localized as="p" text={a.description} fallback={org.default_locale} />
              <p className="muted">
                {t('meetings.coOwners')}: {a.co_owners.length > 0 ? a.co_owners.map((c) => c.display_name).join(', ') : '—'}
              </p>
            </li>
          ))}
        </ul>
      )}
      <form onSubmit={(e) => void submit(e)} noValidate className="staff-form">
        <fieldset>
          <legend>{t('meetingStaff.newActivity')}</legend>
          <LocalizedFields {...localized} label={t('meetingStaff.activityTitle')} path="title" value={title} onChange={setTitle} required maxLength={200} />
          <LocalizedFields {...localized} label={t('meetingStaff.description')} path="description" value={description} onChange={setDescription} multiline rows={3} />
        </fieldset>
        <ErrorMessage error={error} />
        {added && <p role="status">{t('meetingStaff.activityAdded')}</p>}
        <button type="submit" disabled={busy}>
          {t('meetingStaff.addActivity')}
        </button>
      </form>
    </section>
  );
}
