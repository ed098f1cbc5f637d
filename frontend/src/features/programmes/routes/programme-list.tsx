import { type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router-dom';
import { ErrorMessage, Field, Loading, Localized, TextArea } from '../../../components/ui';
import { useAuth } from '../../../lib/auth';
import { fieldErrors } from '../../../lib/errors';
import { LANGUAGE_NAMES, type Locale } from '../../../lib/language';
import { canCreateOrg } from '../../../lib/permissions';
import { useCreateProgramme, useProgrammes } from '../api';

/** The languages a programme's texts are written in here (English is required). */
const TEXT_LOCALES: Locale[] = ['en', 'sr-Latn', 'sk', 'pl'];

/** Platform admins create a programme: its slug, name and description in several languages. */
function NewProgramme() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const create = useCreateProgramme();
  const fields = fieldErrors(create.error);
  const submit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    const text = (prefix: string) =>
      Object.fromEntries(TEXT_LOCALES.map((l) => [l, String(form.get(`${prefix}-${l}`) ?? '').trim()]).filter(([, v]) => v !== ''));
    create.mutate(
      { body: { slug: String(form.get('slug') ?? ''), name: text('name'), description: text('description') } },
      { onSuccess: (p) => navigate(`/programmes/${p.slug}`) },
    );
  };
  return (
    <section aria-labelledby="new-programme">
      <h2 id="new-programme">{t('programmes.newTitle')}</h2>
      <form onSubmit={submit} noValidate className="stack">
        <Field label={t('programmes.slug')} name="slug" required hint={t('programmes.slugHint')} error={fields.slug} />
        {TEXT_LOCALES.map((l) => (
          <Field key={`name-${l}`} label={t('programmes.nameIn', { language: LANGUAGE_NAMES[l] })} name={`name-${l}`} lang={l} required={l === 'en'} error={l === 'en' ? fields.name : undefined} />
        ))}
        {TEXT_LOCALES.map((l) => (
          <TextArea key={`description-${l}`} label={t('programmes.descriptionIn', { language: LANGUAGE_NAMES[l] })} name={`description-${l}`} lang={l} rows={3} error={l === 'en' ? fields.description : undefined} />
        ))}
        {!fields.slug && !fields.name && !fields.description && <ErrorMessage error={create.error} />}
        <button type="submit" disabled={create.isPending}>
          {t('programmes.create')}
        </button>
      </form>
    </section>
  );
}

/** Every programme across municipalities; platform admins also create them here. */
export default function ProgrammeList() {
  const { t } = useTranslation();
  const { user } = useAuth();
  const list = useProgrammes();
  return (
    <article>
      <h1>{t('programmes.title')}</h1>
      <p>{t('programmes.intro')}</p>
      {list.isPending ? (
        <Loading />
      ) : !list.data ? (
        <ErrorMessage error={list.error} />
      ) : list.data.items.length === 0 ? (
        <p>{t('programmes.none')}</p>
      ) : (
        <ul className="list">
          {list.data.items.map((p) => (
            <li key={p.id}>
              <Link to={`/programmes/${p.slug}`}>
                <Localized text={p.name} fallback="en" />
              </Link>{' '}
              · {t('programmes.membersCount', { count: p.joined })}
            </li>
          ))}
        </ul>
      )}
      {canCreateOrg(user) && <NewProgramme />}
    </article>
  );
}
