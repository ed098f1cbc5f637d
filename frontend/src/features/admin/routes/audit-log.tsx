import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router-dom';
import { ErrorMessage, Loading, Localized } from '../../../components/ui';
import { formatDateTime } from '../../../lib/format';
import { LOCALES, type Locale, type LocalizedText } from '../../../lib/language';
import { useAuditLog, useOrg } from '../api';

/** Whether a logged value is a localized text: an object of texts by locale. */
function isLocalized(v: unknown): v is LocalizedText {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return false;
  const keys = Object.keys(v);
  return keys.length > 0 && keys.every((k) => (LOCALES as readonly string[]).includes(k) && typeof (v as Record<string, unknown>)[k] === 'string');
}

/** One side of a change: a localized text in the reader's language, else the value as text. */
function ChangeValue({ value, fallback }: { value: unknown; fallback?: string }) {
  if (value === undefined || value === null || value === '') return <span className="hint">—</span>;
  if (isLocalized(value)) return <Localized text={value} fallback={fallback} />;
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return <span>{String(value)}</span>;
  return <code>{JSON.stringify(value)}</code>;
}

/** The changed fields of an entry, each before → after. */
function Changes({ changes, fallback }: { changes: Record<string, unknown>; fallback?: string }) {
  const { t } = useTranslation();
  const fields = Object.entries(changes);
  if (fields.length === 0) return null;
  return (
    <ul className="audit-changes">
      {fields.map(([field, c]) => {
        const change = (c ?? {}) as { from?: unknown; to?: unknown };
        return (
          <li key={field}>
            <span className="audit-field">{t(`audit.field.${field}`, { defaultValue: field.replace(/_/g, ' ') })}</span>:{' '}
            {'from' in change && <ChangeValue value={change.from} fallback={fallback} />}
            {'from' in change && 'to' in change && ' → '}
            {!('from' in change) && <span className="visually-hidden">{t('audit.set')} </span>}
            {'to' in change ? <ChangeValue value={change.to} fallback={fallback} /> : <span className="hint"> ({t('audit.removed')})</span>}
          </li>
        );
      })}
    </ul>
  );
}

/** The organisation's public log of staff changes, newest first, a page at a time. Public. */
export default function AuditLog() {
  const { slug = '' } = useParams();
  const { t, i18n } = useTranslation();
  const lang = i18n.language as Locale;
  const org = useOrg(slug);
  // The cursors of the pages seen so far: the last one is the page shown ("Newer" goes back one).
  const [cursors, setCursors] = useState<(string | undefined)[]>([undefined]);
  const cursor = cursors[cursors.length - 1];
  const page = useAuditLog(slug, cursor);
  const zone = org.data?.time_zone;
  const feed = `/api/v1/orgs/${encodeURIComponent(slug)}/audit-log.atom`;
  // Feed readers find the feed from the page's head while it is shown.
  useEffect(() => {
    const link = document.createElement('link');
    link.rel = 'alternate';
    link.type = 'application/atom+xml';
    link.href = feed;
    link.title = t('audit.feed');
    document.head.appendChild(link);
    return () => link.remove();
  }, [feed, t]);
  return (
    <section>
      <p>
        <Link to={`/o/${slug}`}>{t('common.back')}</Link>
      </p>
      <h1>{t('audit.title')}</h1>
      {org.data && <Localized as="p" text={org.data.name} fallback={org.data.default_locale} />}
      <p className="hint">{t('audit.intro')}</p>
      <p>
        <a href={feed} type="application/atom+xml">
          {t('audit.feed')}
        </a>
      </p>
      {page.isPending && <Loading />}
      <ErrorMessage error={page.error} />
      {page.data && page.data.items.length === 0 && <p>{t('common.none')}</p>}
      {page.data && page.data.items.length > 0 && (
        <table>
          <caption className="visually-hidden">{t('audit.title')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('audit.when')}</th>
              <th scope="col">{t('audit.who')}</th>
              <th scope="col">{t('audit.what')}</th>
              <th scope="col">{t('audit.resource')}</th>
              <th scope="col">{t('audit.changes')}</th>
            </tr>
          </thead>
          <tbody>
            {page.data.items.map((e) => (
              <tr key={e.id}>
                <td>
                  <time dateTime={e.created_at}>{formatDateTime(e.created_at, lang, zone)}</time>
                </td>
                <td>{e.actor_role ? t(`audit.role.${e.actor_role}`) : t('audit.role.system')}</td>
                <td>{t(`audit.action.${e.action}`, { defaultValue: e.action })}</td>
                <td>
                  {t(`audit.type.${e.resource_type}`, { defaultValue: e.resource_type })} <code>{e.resource_id.slice(0, 8)}</code>
                </td>
                <td>
                  <Changes changes={e.changes} fallback={org.data?.default_locale} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <p className="actions">
        {cursors.length > 1 && (
          <button type="button" className="secondary" onClick={() => setCursors(cursors.slice(0, -1))}>
            {t('audit.newer')}
          </button>
        )}{' '}
        {page.data?.next_cursor && (
          <button type="button" className="secondary" onClick={() => setCursors([...cursors, page.data?.next_cursor ?? undefined])}>
            {t('audit.older')}
          </button>
        )}
      </p>
    </section>
  );
}
