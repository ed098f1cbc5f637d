import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams } from 'react-router-dom';
import { ErrorMessage, Loading, Localized } from '../../../components/ui';
import { useOrg, useUpdateMeeting, useVersionedMeeting } from '../api';
import { MeetingForm } from '../components/meeting-form';
import { useLinkTargets } from '../components/meeting-links';
import { StaffOnly } from '../../../components/staff-only';
import { meetingFormFrom, updateMeetingBody } from '../utils/meeting-form';

function EditMeetingForm({ slug, id }: { slug: string; id: string }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const path = { org: slug, id };
  const org = useOrg(slug);
  const { targets } = useLinkTargets(slug);
  // The ETag of the version on screen goes back as If-Match: a change made meanwhile gives 412.
  const meeting = useVersionedMeeting(slug, id);
  const update = useUpdateMeeting();
  if (org.isPending || meeting.isPending) return <Loading />;
  if (!org.data || !meeting.data) return <ErrorMessage error={org.error ?? meeting.error} />;
  const o = org.data;
  const { item: m, etag } = meeting.data;
  return (
    <>
      <h1>
        {t('meetingStaff.editTitle')}: <Localized text={m.title} fallback={o.default_locale} />
      </h1>
      <MeetingForm
        linkTargets={targets}
        // A fresh version (after "reload") starts a fresh form.
        key={etag ?? m.updated_at}
        org={o}
        initial={meetingFormFrom(m, o.time_zone)}
        submitLabel={t('common.save')}
        onReload={() => void meeting.refetch()}
        onSubmit={(f) =>
          update.mutateAsync({ params: { path, header: { 'If-Match': etag } }, body: updateMeetingBody(f, o) }).then(
            () => void navigate(`/o/${slug}/meetings/${id}/manage`),
            (problem: unknown) => problem,
          )
        }
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
      <StaffOnly slug={slug} back={`/o/${slug}/meetings`} backLabel={t('nav.meetings')}>
        <EditMeetingForm slug={slug} id={id} />
      </StaffOnly>
    </section>
  );
}
