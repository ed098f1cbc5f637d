import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorMessage, Loading, Localized } from '../../../components/ui';
import { MultilingualInput } from '../../../components/forms';
import type { Schemas } from '../../../lib/api-client';
import { errorsByPath, fieldProblem } from '../../../lib/errors';
import { orgLocales } from '../../../lib/forms';
import { useActivities, useAddActivity } from '../api';
import { localizedBody, type Texts } from '../utils/meeting-form';

interface Props {
  slug: string;
  org: Schemas['OrgResponse'];
  meetingId: string;
}

/** Follow-up activities: those added so far, with their co-owners, and a form for a new one. */
export function ActivitiesPanel({ slug, org, meetingId }: Props) {
  const { t } = useTranslation();
  const path = { org: slug, id: meetingId };
  const list = useActivities(slug, meetingId);
  const adding = useAddActivity();
  const [title, setTitle] = useState<Texts>({});
  const [description, setDescription] = useState<Texts>({});
  // A missing title, caught before sending.
  const [invalid, setInvalid] = useState<unknown>();
  const error = invalid ?? adding.error;
  const added = adding.isSuccess;
  const errors = errorsByPath(error);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const problem = title[org.default_locale]?.trim() ? undefined : fieldProblem(`title.${org.default_locale}`, t('meetingStaff.errors.required'));
    setInvalid(problem);
    if (problem) return adding.reset();
    adding.mutate(
      { params: { path }, body: { title: localizedBody(title, org), description: localizedBody(description, org) } },
      {
        onSuccess: () => {
          setTitle({});
          setDescription({});
        },
      },
    );
  };

  const localized = { locales: orgLocales(org), errors };
  return (
    <section aria-labelledby="activities-heading" className="panel">
      <h2 id="activities-heading">{t('meetings.activities')}</h2>
      {list.isPending && <Loading />}
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
      <form onSubmit={submit} noValidate className="staff-form">
        <fieldset>
          <legend>{t('meetingStaff.newActivity')}</legend>
          <MultilingualInput {...localized} label={t('meetingStaff.activityTitle')} name="title" value={title} onChange={setTitle} required maxLength={200} />
          <MultilingualInput {...localized} label={t('meetingStaff.description')} name="description" value={description} onChange={setDescription} multiline rows={3} />
        </fieldset>
        <ErrorMessage error={error} />
        {added && <p role="status">{t('meetingStaff.activityAdded')}</p>}
        <button type="submit" disabled={adding.isPending}>
          {t('meetingStaff.addActivity')}
        </button>
      </form>
    </section>
  );
}
