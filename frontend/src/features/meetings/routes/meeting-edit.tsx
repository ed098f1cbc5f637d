import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams } from 'react-router-dom';
import { ErrorMessage, Loading, Localized } from '../../../components/ui';
import { api } from '../../../lib/api-client';
import { useApi } from '../../../lib/use-api';
import { MeetingForm } from '../components/meeting-form';
import { StaffOnly } from '../components/staff-only';
import { meetingFormFrom, updateMeetingBody } from '../utils/meeting-form';

function EditMeetingForm({ slug, id }: { slug: string; id: string }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const path = { org: slug, id };
  const org = useApi(() => api.GET('/api/v1/orgs/{org}', { params: { path: { org: slug } } }), [slug]);
  // The ETag of the version on screen goes back as If-Match: a change made meanwhile gives 412.
  const meeting = useApi(async () => {
    const r = await api.GET('/api/v1/orgs/{org}/meetings/{id}', { params: { path } });
    return { ...r, data: r.data && { meeting: r.data, etag: r.response.headers.get('ETag') } };
  }, [slug, id]);
  if (org.loading || meeting.loading) return <Loading />;
  if (!org.data || !meeting.data) return <ErrorMessage error={org.error ?? meeting.error} />;
  const o = org.data;
  const { meeting: m, etag } = meeting.data;
  return (
    <>
      <h1>
        {t('meetingStaff.editTitle')}: <Localized text={m.title} fallback={o.default_locale} />
      </h1>
      <MeetingForm
        // A fresh version (after "reload") starts a fresh form.
        key={etag ?? m.updated_at}
        org={o}
        initial={meetingFormFrom(m, o.time_zone)}
        submitLabel={t('common.save')}
        onReload={meeting.reload}
        onSubmit={async (f) => {
          const { data, error } = await api.PATCH('/api/v1/orgs/{org}/meetings/{id}', {
            params: { path, header: { 'If-Match': etag } },
            body: updateMeetingBody(f, o),
          });
          if (data) navigate(`/o/${slug}/meetings/${id}/manage`);
          return error;
        }}
      />
    </>
  );
}

/** Staff: change a meeting, guarded against overwriting someone else's change. */
export default function MeetingEdit() {
  const { slug = '', id = '' } = useParams();
  const { t } = useTranslation();
  return (
    <section>
      <p>
        <Link to={`/o/${slug}/meetings/${id}/manage`}>{t('common.back')}</Link>
      </p>
      <StaffOnly slug={slug}>
        <EditMeetingForm slug={slug} id={id} />
      </StaffOnly>
    </section>
  );
}
