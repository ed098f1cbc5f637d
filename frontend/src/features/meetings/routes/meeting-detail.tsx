import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router-dom';
import { ErrorMessage, Loading, Localized } from '../../../components/ui';
import { api } from '../../../lib/api-client';
import { useAuth } from '../../../lib/auth';
import { formatDateTime } from '../../../lib/format';
import { resolveText, type Locale } from '../../../lib/language';
import { useApi } from '../../../lib/use-api';
import { useMeetingStaff } from '../hooks/use-staff';

export default function MeetingDetail() {
  const { slug = '', id = '' } = useParams();
  const { t, i18n } = useTranslation();
  const { user } = useAuth();
  const lang = i18n.language as Locale;
  const path = { org: slug, id };
  const meeting = useApi(() => api.GET('/api/v1/orgs/{org}/meetings/{id}', { params: { path } }), [slug, id, user?.id]);
  const activities = useApi(() => api.GET('/api/v1/orgs/{org}/meetings/{id}/activities', { params: { path } }), [slug, id, user?.id]);
  const [error, setError] = useState<unknown>();
  const staff = useMeetingStaff(slug);

  if (meeting.loading && !meeting.data) return <Loading />;
  if (!meeting.data) return <ErrorMessage error={meeting.error} />;
  const m = meeting.data;
  const mine = m.my_registration;

  const register = async (join_waiting_list: boolean) => {
    const { error } = await api.POST('/api/v1/orgs/{org}/meetings/{id}/registrations', {
      params: { path },
      body: { join_waiting_list },
      headers: { 'Idempotency-Key': crypto.randomUUID() },
    });
    setError(error);
    meeting.reload();
  };
  const cancel = async () => {
    const { error } = await api.DELETE('/api/v1/orgs/{org}/meetings/{id}/registrations/me', { params: { path } });
    setError(error);
    meeting.reload();
  };
  const join = async (activity_id: string, leave: boolean) => {
    const p = { params: { path: { ...path, activity_id } } };
    const { error } = leave
      ? await api.DELETE('/api/v1/orgs/{org}/meetings/{id}/activities/{activity_id}/co-owners/me', p)
      : await api.POST('/api/v1/orgs/{org}/meetings/{id}/activities/{activity_id}/co-owners', { ...p, body: {} });
    setError(error);
    activities.reload();
  };
  const full = m.registrations.seats_left === 0;
  const minutes = resolveText(m.minutes, lang);
  return (
    <article>
      <p>
        <Link to={`/o/${slug}/meetings`}>{t('common.back')}</Link>
      </p>
      <Localized as="h1" text={m.title} />
      {staff && (
        <p>
          <Link to={`/o/${slug}/meetings/${id}/manage`}>{t('meetingStaff.manage')}</Link>
        </p>
      )}
      <p>
        <time dateTime={m.starts_at}>{formatDateTime(m.starts_at, lang, m.time_zone)}</time> – <time dateTime={m.ends_at}>{formatDateTime(m.ends_at, lang, m.time_zone)}</time> ·{' '}
        {t(`meetings.kind_${m.kind}`)} · <span className={`badge status-${m.status}`}>{t(`meetings.status_${m.status}`)}</span>
      </p>
      {m.status === 'cancelled' && m.cancel_reason && <p className="notice">{t('meetings.cancelledBecause', { reason: m.cancel_reason })}</p>}
      {m.address && <p>{m.address}</p>}
      {m.online_url && (
        <p>
          {t('meetings.onlineLink')}: <a href={m.online_url}>{m.online_url}</a>
        </p>
      )}
      <Localized as="p" text={m.description} />
      <p>
        <a href={`/api/v1/orgs/${slug}/meetings/${id}.ics?lang=${lang}`}>{t('meetings.addToCalendar')}</a>
      </p>
      {m.status === 'scheduled' && m.registration_open && (
        <section aria-labelledby="registration" className="panel">
          <h2 id="registration">{t('meetings.register')}</h2>
          {m.registrations.seats_left !== null && m.registrations.seats_left !== undefined && (
            <p>{full ? t('meetings.full') : t('meetings.seatsLeft', { count: m.registrations.seats_left })}</p>
          )}
          {!user && <p>{t('meetings.signInToRegister')}</p>}
          {user && !mine && !full && (
            <button type="button" onClick={() => void register(false)}>
              {t('meetings.register')}
            </button>
          )}
          {user && !mine && full && m.waiting_list && (
            <button type="button" onClick={() => void register(true)}>
              {t('meetings.joinWaitingList')}
            </button>
          )}
          {mine && (
            <>
              <p role="status">{mine.status === 'confirmed' ? t('meetings.registered') : t('meetings.waitlisted', { position: mine.position })}</p>
              <button type="button" className="secondary" onClick={() => void cancel()}>
                {t('meetings.cancelRegistration')}
              </button>
            </>
          )}
        </section>
      )}
      <ErrorMessage error={error} />
      {m.agenda.length > 0 && (
        <section aria-labelledby="agenda">
          <h2 id="agenda">{t('meetings.agenda')}</h2>
          <ol>
            {m.agenda.map((a, i) => (
              <li key={i}>
                <Localized text={a.title} /> ({a.duration_minutes} min)
              </li>
            ))}
          </ol>
        </section>
      )}
      {minutes && (
        <section aria-labelledby="minutes">
          <h2 id="minutes">{t('meetings.minutes')}</h2>
          {m.attendance !== null && m.attendance !== undefined && <p>{t('meetings.attendance', { count: m.attendance })}</p>}
          {/* Sanitised on the server (ammonia) before it is stored. */}
          <div lang={minutes.lang} dangerouslySetInnerHTML={{ __html: minutes.text }} />
        </section>
      )}
      {m.attachments.length > 0 && (
        <section aria-labelledby="attachments">
          <h2 id="attachments">{t('meetings.attachments')}</h2>
          <ul>
            {m.attachments.map((a) => (
              <li key={a.url}>
                <a href={a.url}>{a.title}</a> ({a.kind})
              </li>
            ))}
          </ul>
        </section>
      )}
      {(activities.data?.items.length ?? 0) > 0 && (
        <section aria-labelledby="activities">
          <h2 id="activities">{t('meetings.activities')}</h2>
          <ul className="cards">
            {activities.data?.items.map((a) => (
              <li key={a.id} className="card">
                <Localized as="h3" text={a.title} />
                <Localized as="p" text={a.description} />
                {a.co_owners.length > 0 && (
                  <p>
                    {t('meetings.coOwners')}: {a.co_owners.map((c) => c.display_name).join(', ')}
                  </p>
                )}
                {user && (
                  <button type="button" className={a.joined ? 'secondary' : undefined} onClick={() => void join(a.id, a.joined)}>
                    {a.joined ? t('meetings.leave') : t('meetings.join')}
                  </button>
                )}
              </li>
            ))}
          </ul>
        </section>
      )}
    </article>
  );
}
