import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams } from 'react-router-dom';
import { ErrorMessage, Loading } from '../../../components/ui';
import { useCreateMeeting, useOrg } from '../api';
import { MeetingForm } from '../components/meeting-form';
import { useLinkTargets } from '../components/meeting-links';
import { StaffOnly } from '../../../components/staff-only';
import { createMeetingBody, emptyMeetingForm } from '../utils/meeting-form';

function NewMeetingForm({ slug }: { slug: string }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const org = useOrg(slug);
  const { targets } = useLinkTargets(slug);
  const create = useCreateMeeting();
  if (org.isPending) return <Loading />;
  if (!org.data) return <ErrorMessage error={org.error} />;
  const o = org.data;
  return (
    <MeetingForm
      linkTargets={targets}
      org={o}
      initial={emptyMeetingForm(o.name[o.default_locale] ?? '')}
      submitLabel={t('meetingStaff.create')}
      onSubmit={(f) =>
        create.mutateAsync({ params: { path: { org: slug } }, body: createMeetingBody(f, o) }).then(
          (created) => void navigate(`/o/${slug}/meetings/${created.id}/manage`),
          (problem: unknown) => problem,
        )
      }
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
      <StaffOnly slug={slug} back={`/o/${slug}/meetings`} backLabel={t('nav.meetings')}>
        <h1>{t('meetingStaff.newTitle')}</h1>
        <NewMeetingForm slug={slug} />
      </StaffOnly>
    </section>
  );
}
