import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router-dom';
import { ErrorMessage, Loading, Localized } from '../../../components/ui';
import { formatDateTime } from '../../../lib/format';
import type { Locale } from '../../../lib/language';
import { useAuditLog, useOrg } from '../api';

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
  return (
    <section>
      <p>
        <Link to={`/o/${slug}`}>{t('common.back')}</Link>
      </p>
      <h1>{t('audit.title')}</h1>
      {org.data && <Localized as="p" text={org.data.name} fallback={org.data.default_locale} />}
      <p className="hint">{t('audit.intro')}</p>
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
