import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router-dom';
import { MultilingualInput } from '../../../components/forms';
import { ErrorMessage, Field, Loading } from '../../../components/ui';
import { useAuth } from '../../../lib/auth';
import { errorsByPath } from '../../../lib/errors';
import { localizedFrom, orgLocales } from '../../../lib/forms';
import { canCreate } from '../../../lib/permissions';
import {
  CATEGORIES,
  createDocument,
  deleteDocument,
  updateDocument,
  useDocuments,
  useOrg,
  useVersionedDocument,
  type Category,
  type LibraryFilter,
} from '../api';
import { DocumentEntry } from '../../../components/documents';

/** The organisation's documents library: filters, pages, and staff management. */
export default function Library() {
  const { slug = '' } = useParams();
  const { t } = useTranslation();
  const { user } = useAuth();
  const org = useOrg(slug);
  const [filter, setFilter] = useState<LibraryFilter>({});
  const [cursors, setCursors] = useState<string[]>([]);
  const docs = useDocuments(slug, { ...filter, cursor: cursors[cursors.length - 1] });
  const staff = canCreate(user, slug);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [editing, setEditing] = useState<string | null>(null);

  if (org.isPending) return <Loading />;
  if (!org.data) return <ErrorMessage error={org.error} />;
  const o = org.data;

  const applyFilter = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const f = new FormData(e.currentTarget);
    const category = String(f.get('category') ?? '');
    const year = Number(f.get('year') ?? '');
    const q = String(f.get('q') ?? '').trim();
    setCursors([]);
    setFilter({ category: category ? (category as Category) : undefined, year: year ? year : undefined, q: q || undefined });
  };
  const remove = async (id: string) => {
    setBusy(true);
    setError(null);
    try {
      await deleteDocument(slug, id);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  return (
    <section>
      <p>
        <Link to={`/o/${slug}`}>{t('common.back')}</Link>
      </p>
      <h1>{t('library.title')}</h1>
      <form className="filters" role="search" aria-label={t('library.filters')} onSubmit={applyFilter}>
        <div className="field">
          <label htmlFor="library-category">{t('library.categoryLabel')}</label>
          <select id="library-category" name="category" defaultValue="">
            <option value="">{t('library.allCategories')}</option>
            {CATEGORIES.map((c) => (
              <option key={c} value={c}>
                {t(`library.category.${c}`)}
              </option>
            ))}
          </select>
        </div>
        <Field label={t('library.year')} name="year" type="number" min={1900} max={2200} inputMode="numeric" />
        <Field label={t('library.search')} name="q" type="search" maxLength={200} />
        <button type="submit">{t('library.apply')}</button>
      </form>
      {docs.isPending ? (
        <Loading />
      ) : docs.error ? (
        <ErrorMessage error={docs.error} />
      ) : (
        <>
          <p role="status">{t('library.count', { count: docs.data?.total ?? 0 })}</p>
          <ul className="list documents">
            {docs.data?.items.map((d) => (
              <DocumentEntry key={d.id} org={slug} d={d} fallback={o.default_locale} staff={staff}>
                {staff && (
                  <>
                    <button type="button" className="secondary" aria-expanded={editing === d.id} onClick={() => setEditing(editing === d.id ? null : d.id)}>
                      {t('library.edit')}
                    </button>{' '}
                    <button type="button" className="secondary" disabled={busy} onClick={() => void remove(d.id)}>
                      {t('library.delete')}
                    </button>
                    {editing === d.id && <EditDocument org={slug} id={d.id} locales={orgLocales(o)} onDone={() => setEditing(null)} />}
                  </>
                )}
              </DocumentEntry>
            ))}
          </ul>
          <p>
            {cursors.length > 0 && (
              <button type="button" className="secondary" onClick={() => setCursors(cursors.slice(0, -1))}>
                {t('library.previous')}
              </button>
            )}{' '}
            {docs.data?.next_cursor && (
              <button type="button" className="secondary" onClick={() => setCursors([...cursors, docs.data?.next_cursor ?? ''])}>
                {t('library.next')}
              </button>
            )}
          </p>
        </>
      )}
      <ErrorMessage error={error} />
      {staff && <NewDocument org={slug} locales={orgLocales(o)} />}
    </section>
  );
}

function NewDocument({ org, locales }: { org: string; locales: ReturnType<typeof orgLocales> }) {
  const { t } = useTranslation();
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState(false);
  const errors = errorsByPath(error);
  const submit = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const form = e.currentTarget;
    const f = new FormData(form);
    setBusy(true);
    setError(null);
    setDone(false);
    try {
      await createDocument(org, {
        category: String(f.get('category')) as Category,
        title: localizedFrom(f, 'title', locales),
        description: localizedFrom(f, 'description', locales),
        published_on: String(f.get('published_on') ?? ''),
      });
      form.reset();
      setDone(true);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  return (
    <form className="staff-form" onSubmit={(e) => void submit(e)} aria-labelledby="new-document">
      <h2 id="new-document">{t('library.new')}</h2>
      <div className="field">
        <label htmlFor="new-document-category">{t('library.categoryLabel')}</label>
        <select id="new-document-category" name="category" defaultValue="legal_acts">
          {CATEGORIES.map((c) => (
            <option key={c} value={c}>
              {t(`library.category.${c}`)}
            </option>
          ))}
        </select>
      </div>
      <MultilingualInput name="title" label={t('library.titleLabel')} locales={locales} errors={errors} required maxLength={300} />
      <MultilingualInput name="description" label={t('library.description')} locales={locales} errors={errors} multiline maxLength={5000} />
      <Field label={t('library.publishedOn')} name="published_on" type="date" required error={errors.published_on} defaultValue={new Date().toISOString().slice(0, 10)} />
      <button type="submit" disabled={busy}>
        {t('library.create')}
      </button>
      <p className="hint">{t('library.fileAfter')}</p>
      <ErrorMessage error={error} />
      {done && <p role="status">{t('library.created')}</p>}
    </form>
  );
}

/** Staff change a document's category, texts or publication date; a stale save is refused (412). */
function EditDocument({ org, id, locales, onDone }: { org: string; id: string; locales: ReturnType<typeof orgLocales>; onDone: () => void }) {
  const { t } = useTranslation();
  const doc = useVersionedDocument(org, id);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const errors = errorsByPath(error);
  if (doc.isPending) return <Loading />;
  if (!doc.data) return <ErrorMessage error={doc.error} />;
  const d = doc.data.item;
  const submit = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const f = new FormData(e.currentTarget);
    setBusy(true);
    setError(null);
    try {
      await updateDocument(org, id, doc.data.etag, {
        category: String(f.get('category')) as Category,
        title: localizedFrom(f, 'title', locales),
        description: localizedFrom(f, 'description', locales),
        published_on: String(f.get('published_on') ?? ''),
      });
      onDone();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  const formId = `edit-document-${id}`;
  return (
    <form className="staff-form" onSubmit={(e) => void submit(e)} aria-labelledby={formId}>
      <h3 id={formId}>{t('library.editTitle')}</h3>
      <div className="field">
        <label htmlFor={`${formId}-category`}>{t('library.categoryLabel')}</label>
        <select id={`${formId}-category`} name="category" defaultValue={d.category}>
          {CATEGORIES.map((c) => (
            <option key={c} value={c}>
              {t(`library.category.${c}`)}
            </option>
          ))}
        </select>
      </div>
      <MultilingualInput name="title" label={t('library.titleLabel')} locales={locales} errors={errors} required maxLength={300} defaultValue={d.title} />
      <MultilingualInput name="description" label={t('library.description')} locales={locales} errors={errors} multiline maxLength={5000} defaultValue={d.description ?? {}} />
      <Field label={t('library.publishedOn')} name="published_on" type="date" required error={errors.published_on} defaultValue={d.published_on} />
      <button type="submit" disabled={busy}>
        {t('library.save')}
      </button>
      <ErrorMessage error={error} />
    </form>
  );
}
