import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router-dom';
import { ErrorMessage, Loading, Localized } from '../../../components/ui';
import { formatDateTime } from '../../../lib/format';
import type { Locale } from '../../../lib/language';
import { useMeeting, useOrg } from '../api';
import { ActivitiesPanel } from '../components/activities-panel';
import { MinutesPanel } from '../components/minutes-panel';
import { RegistrationsPanel } from '../components/registrations-panel';
import { StaffOnly } from '../../../components/staff-only';
import { StatusPanel } from '../components/status-panel';

function Manage({ slug, id }: { slug: string; id: string }) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language as Locale;
  const org = useOrg(slug);
  const meeting = useMeeting(slug, id);
  const [openedAt] = useState(() => Date.now());
  if (org.isPending || meeting.isPending) return <Loading />;
  if (!org.data || !meeting.data) return <ErrorMessage error={org.error ?? meeting.error} />;
  const o = org.data;
  const m = meeting.data;
  const started = Date.parse(m.starts_at) <= openedAt;
  return (
    <>
      <h1>
        <Localized text={m.title} fallback={o.default_locale} />
      </h1>
      <p>
        <time dateTime={m.starts_at}>{formatDateTime(m.starts_at, lang, m.time_zone)}</time> – <time dateTime={m.ends_at}>{formatDateTime(m.ends_at, lang, m.time_zone)}</time> ·{' '}
        {t(`meetings.kind_${m.kind}`)}
      </p>
      <ul className="subnav" aria-label={t('meetingStaff.staffArea')}>
        <li>
          <Link to={`/o/${slug}/meetings/${id}`}>{t('meetingStaff.publicPage')}</Link>
        </li>
        {m.status !== 'cancelled' && (
          <li>
            <Link to={`/o/${slug}/meetings/${id}/edit`}>{t('meetingStaff.edit')}</Link>
          </li>
        )}
      </ul>
      <ErrorMessage error={meeting.error} />
      <StatusPanel slug={slug} meeting={m} started={started} />
      <RegistrationsPanel slug={slug} meeting={m} />
      <MinutesPanel slug={slug} org={o} meeting={m} started={started} />
      <ActivitiesPanel slug={slug} org={o} meetingId={id} />
    </>
  );
}

/** Staff: one meeting's status, registrations, minutes and follow-up activities. */
export default function MeetingManage() {
  const { slug = '', id = '' } = useParams();
  const { t } = useTranslation();
  return (
    <section>
      <p>
        <Link to={`/o/${slug}/meetings`}>{t('common.back')}</Link>
      </p>
      <StaffOnly slug={slug} back={`/o/${slug}/meetings`} backLabel={t('nav.meetings')}>
        <Manage slug={slug} id={id} />
      </StaffOnly>
    </section>
  );
}
