// Documents of the library as every screen shows them (title, category, date, description and
// files), and the documents linked to an action plan, meeting, consultation or budget: staff link
// one of the library's documents or unlink one.
import { useId, useState, type FormEvent, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { api, type Schemas } from '../lib/api-client';
import { useAuth } from '../lib/auth';
import { formatDate } from '../lib/format';
import { resolveText, type Locale } from '../lib/language';
import { useOrg } from '../lib/org';
import { canCreate } from '../lib/permissions';
import { $api, invalidate, queryClient } from '../lib/query';
import { DocumentFiles } from './files';
import { ErrorMessage, Localized } from './ui';

export type DocumentItem = Schemas['DocumentResponse'];
export type LinkType = Schemas['DocumentLinkTypeDto'];

const DOCS = '/api/v1/orgs/{org}/documents';
const LINKED = '/api/v1/orgs/{org}/linked-documents/{resource_type}/{resource_id}';

async function linkDocument(org: string, id: string, type: LinkType, resource: string, linked: boolean) {
  const path = { org, id, resource_type: type, resource_id: resource };
  const url = '/api/v1/orgs/{org}/documents/{id}/links/{resource_type}/{resource_id}';
  const { error } = linked ? await api.PUT(url, { params: { path } }) : await api.DELETE(url, { params: { path } });
  if (error) throw error;
  await invalidate(queryClient, DOCS, LINKED);
}

/** One document of the library. */
export function DocumentEntry({ org, d, fallback, staff, children }: { org: string; d: DocumentItem; fallback: Locale; staff: boolean; children?: ReactNode }) {
  const { t, i18n } = useTranslation();
  return (
    <li className="document">
      <Localized as="h3" text={d.title} fallback={fallback} />
      <p className="hint">
        {t(`library.category.${d.category}`)} · <time dateTime={d.published_on}>{formatDate(d.published_on, i18n.language as Locale)}</time>
        {d.scheduled && <> · {t('library.scheduled')}</>}
      </p>
      <Localized as="p" text={d.description} fallback={fallback} />
      <DocumentFiles org={org} id={d.id} canUpload={staff} />
      {children}
    </li>
  );
}

/** The documents linked to a resource; staff link and unlink. */
export function LinkedDocuments({ org, type, id }: { org: string; type: LinkType; id: string }) {
  const { t, i18n } = useTranslation();
  const { user } = useAuth();
  const staff = canCreate(user, org);
  const headingId = useId();
  const selectId = useId();
  const o = useOrg(org);
  const linked = $api.useQuery('get', LINKED, { params: { path: { org, resource_type: type, resource_id: id } } });
  const library = $api.useQuery('get', DOCS, { params: { path: { org }, query: { limit: 100 } } }, { enabled: staff });
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const items = linked.data?.items ?? [];
  if (!o.data || (items.length === 0 && !staff)) return null;
  const fallback = o.data.default_locale;
  const run = async (doc: string, link: boolean) => {
    setBusy(true);
    setError(null);
    try {
      await linkDocument(org, doc, type, id, link);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  const submit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const doc = String(new FormData(e.currentTarget).get('document') ?? '');
    if (doc) void run(doc, true);
  };
  const choices = (library.data?.items ?? []).filter((d) => !items.some((i) => i.id === d.id));
  return (
    <section aria-labelledby={headingId} className="linked-documents">
      <h2 id={headingId}>{t('library.linkedHeading')}</h2>
      <ul className="list documents">
        {items.map((d) => (
          <DocumentEntry key={d.id} org={org} d={d} fallback={fallback} staff={false}>
            {staff && (
              <button type="button" className="secondary" disabled={busy} onClick={() => void run(d.id, false)}>
                {t('library.unlink', { title: resolveText(d.title, i18n.language as Locale, fallback)?.text ?? '' })}
              </button>
            )}
          </DocumentEntry>
        ))}
      </ul>
      {staff && choices.length > 0 && (
        <form className="staff-form" onSubmit={submit}>
          <label htmlFor={selectId}>{t('library.linkLabel')}</label>
          <select id={selectId} name="document">
            {choices.map((d) => (
              <option key={d.id} value={d.id}>
                {resolveText(d.title, i18n.language as Locale, fallback)?.text}
              </option>
            ))}
          </select>
          <button type="submit" disabled={busy}>
            {t('library.link')}
          </button>
        </form>
      )}
      {staff && (
        <p>
          <Link to={`/o/${org}/documents`}>{t('library.manage')}</Link>
        </p>
      )}
      <ErrorMessage error={error} />
    </section>
  );
}
