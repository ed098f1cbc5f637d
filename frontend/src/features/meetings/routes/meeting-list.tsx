import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router-dom';
import { ErrorMessage, Loading, Localized } from '../../../components/ui';
import { useAuth } from '../../../lib/auth';
import { formatDateTime } from '../../../lib/format';
import type { Locale } from '../../../lib/language';
import { canCreate, canEdit } from '../../../lib/permissions';
import { useMeetings, useOrg } from '../api';
import { CalendarSubscribe } from '../../../components/calendar-subscribe';
import { CommentCount } from '../../../components/comments';

export default function MeetingList() {
  const { slug = '' } = useParams();
  const { t, i18n } = useTranslation();
  const { user } = useAuth();
  const list = useMeetings(slug);
  const org = useOrg(slug);
  if (list.isPending) return <Loading />;
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
              <span className={`badge status-${m.status}`}>{t(`meetings.status_${m.status}`)}</span> · <CommentCount n={m.comment_count} />
              {canEdit(user, slug, m) && (
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
      {canCreate(user, slug) && (
        <p>
          <Link to={`/o/${slug}/meetings/new`} className="button">
            {t('meetingStaff.newTitle')}
          </Link>
        </p>
      )}
      <CalendarSubscribe slug={slug} lang={i18n.language} />
      <ErrorMessage error={list.error} />
      {section(t('meetings.upcoming'), upcoming)}
      {section(t('meetings.past'), past)}
    </section>
  );
}
