import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router-dom';
import { ErrorMessage, Loading, Localized } from '../../../components/ui';
import { api } from '../../../lib/api-client';
import { formatDateTime } from '../../../lib/format';
import type { Locale } from '../../../lib/language';
import { useApi } from '../../../lib/use-api';
import { useMeetingStaff } from '../hooks/use-staff';

export default function MeetingList() {
  const { slug = '' } = useParams();
  const { t, i18n } = useTranslation();
  const list = useApi(() => api.GET('/api/v1/orgs/{org}/meetings', { params: { path: { org: slug }, query: { limit: 100 } } }), [slug]);
  const org = useApi(() => api.GET('/api/v1/orgs/{org}', { params: { path: { org: slug } } }), [slug]);
  const staff = useMeetingStaff(slug);
  if (list.loading) return <Loading />;
  const now = Date.now();
  const items = list.data?.items ?? [];
  const upcoming = items.filter((m) => Date.parse(m.ends_at) >= now);
  const past = items.filter((m) => Date.parse(m.ends_at) < now).reverse();
  const fallback = org.data?.default_locale;
  const section = (title: string, rows: typeof items) => (
    <section aria-label={title}>
      <h2>{title}</h2>
      {rows.length === 0 ? (
        <p>{t('common.none')}</p>
      ) : (
        <ul className="list">
          {rows.map((m) => (
            <li key={m.id}>
              <Link to={`/o/${slug}/meetings/${m.id}`}>
                <Localized text={m.title} fallback={fallback} />
              </Link>
              <br />
              <time dateTime={m.starts_at}>{formatDateTime(m.starts_at, i18n.language as Locale, m.time_zone)}</time> · {t(`meetings.kind_${m.kind}`)} ·{' '}
              <span className={`badge status-${m.status}`}>{t(`meetings.status_${m.status}`)}</span>
              {staff && (
                <>
                  {' '}
                  · <Link to={`/o/${slug}/meetings/${m.id}/manage`}>{t('meetingStaff.manageShort')}</Link>
                </>
              )}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
  return (
    <section>
      <p>
        <Link to={`/o/${slug}`}>{t('common.back')}</Link>
      </p>
      <h1>{t('meetings.title')}</h1>
      {staff && (
        <p>
          <Link to={`/o/${slug}/meetings/new`} className="button">
            {t('meetingStaff.newTitle')}
          </Link>
        </p>
      )}
      <ErrorMessage error={list.error} />
      {section(t('meetings.upcoming'), upcoming)}
      {section(t('meetings.past'), past)}
    </section>
  );
}
