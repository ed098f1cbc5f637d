import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams } from 'react-router-dom';
import { ErrorMessage, Loading } from '../../../components/ui';
import { api } from '../../../lib/api-client';
import { useApi } from '../../../lib/use-api';
import { MeetingForm } from '../components/meeting-form';
import { StaffOnly } from '../components/staff-only';
import { createMeetingBody, emptyMeetingForm } from '../utils/meeting-form';

function NewMeetingForm({ slug }: { slug: string }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const org = useApi(() => api.GET('/api/v1/orgs/{org}', { params: { path: { org: slug } } }), [slug]);
  if (org.loading) return <Loading />;
  if (!org.data) return <ErrorMessage error={org.error} />;
  const o = org.data;
  return (
    <MeetingForm
      org={o}
      initial={emptyMeetingForm(o.name[o.default_locale] ?? '')}
      submitLabel={t('meetingStaff.create')}
      onSubmit={async (f) => {
        const { data, error } = await api.POST('/api/v1/orgs/{org}/meetings', { params: { path: { org: slug } }, body: createMeetingBody(f, o) });
        if (data) navigate(`/o/${slug}/meetings/${data.id}/manage`);
        return error;
      }}
    />
  );
}

/** Staff: schedule a new meeting. */
export default function MeetingNew() {
  const { slug = '' } = useParams();
  const { t } = useTranslation();
  return (
    <section>
      <p>
        <Link to={`/o/${slug}/meetings`}>{t('common.back')}</Link>
      </p>
      <StaffOnly slug={slug}>
        <h1>{t('meetingStaff.newTitle')}</h1>
        <NewMeetingForm slug={slug} />
      </StaffOnly>
    </section>
  );
}
