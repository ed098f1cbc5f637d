import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router-dom';
import { Comments } from '../../../components/comments';
import { MeetingFiles } from '../../../components/files';
import { LinkedDocuments } from '../../../components/documents';
import { ErrorMessage, Loading, Localized } from '../../../components/ui';
import { useAuth } from '../../../lib/auth';
import { formatDateTime } from '../../../lib/format';
import { resolveText, type Locale } from '../../../lib/language';
import { canEdit } from '../../../lib/permissions';
import { RelatedLinks } from '../components/meeting-links';
import { useActivities, useCancelRegistration, useJoinActivity, useMeeting, useRegister } from '../api';
import { FollowButton } from '../../../components/follow-button';

export default function MeetingDetail() {
  const { slug = '', id = '' } = useParams();
  const { t, i18n } = useTranslation();
  const { user } = useAuth();
  const lang = i18n.language as Locale;
  const path = { org: slug, id };
  const meeting = useMeeting(slug, id);
  const activities = useActivities(slug, id);
  const registering = useRegister();
  const cancelling = useCancelRegistration();
  const joining = useJoinActivity(slug, id);
  const writes = [registering, cancelling, joining];
  const error = writes.find((w) => w.error)?.error;

  if (meeting.isPending) return <Loading />;
  if (!meeting.data) return <ErrorMessage error={meeting.error} />;
  const m = meeting.data;
  const mine = m.my_registration;
  const staff = canEdit(user, slug, m);
  // Only the last write's outcome is shown.
  const start = () => writes.forEach((w) => w.reset());

  const register = (join_waiting_list: boolean) => {
    start();
    registering.mutate({ params: { path }, body: { join_waiting_list }, headers: { 'Idempotency-Key': crypto.randomUUID() } });
  };
  const cancel = () => {
    start();
    cancelling.mutate({ params: { path } });
  };
  const join = (activityId: string, leave: boolean) => {
    start();
    joining.mutate({ activityId, leave });
  };
  const full = m.registrations.seats_left === 0;
  const minutes = resolveText(m.minutes, lang);
  return (
    <article>
      <p>
        <Link to={`/o/${slug}/meetings`}>{t('common.back')}</Link>
      </p>
      <Localized as="h1" text={m.title} />
      <p>
        <FollowButton target="meeting" id={id} />
      </p>
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
      <RelatedLinks slug={slug} links={m.links} />
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
            <button type="button" onClick={() => register(false)}>
              {t('meetings.register')}
            </button>
          )}
          {user && !mine && full && m.waiting_list && (
            <button type="button" onClick={() => register(true)}>
              {t('meetings.joinWaitingList')}
            </button>
          )}
          {mine && (
            <>
              <p role="status">{mine.status === 'confirmed' ? t('meetings.registered') : t('meetings.waitlisted', { position: mine.position })}</p>
              <button type="button" className="secondary" onClick={cancel}>
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
      <MeetingFiles org={slug} id={id} canUpload={staff} />
      <LinkedDocuments org={slug} type="meeting" id={id} />
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
                  <button type="button" className={a.joined ? 'secondary' : undefined} onClick={() => join(a.id, a.joined)}>
                    {a.joined ? t('meetings.leave') : t('meetings.join')}
                  </button>
                )}
              </li>
            ))}
          </ul>
        </section>
      )}
      <Comments slug={slug} kind="meeting" targetId={id} back={`/o/${slug}/meetings/${id}`} />
    </article>
  );
}
