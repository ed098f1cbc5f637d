import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams } from 'react-router-dom';
import { ErrorMessage, Loading } from '../../../components/ui';
import { StaffOnly } from '../../../components/staff-only';
import { useOrg, useSaveConsultation, useSurveys, useVersionedConsultation } from '../api';
import { ConsultationForm } from '../components/consultation-form';
import { consultationFormFrom, createConsultationBody, emptyConsultationForm, updateConsultationBody } from '../lib/consultation-form';

function Form({ slug, id }: { slug: string; id?: string }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const org = useOrg(slug);
  const current = useVersionedConsultation(slug, id);
  const surveys = useSurveys(slug, !id);
  const save = useSaveConsultation(slug, id);
  // A new key after a reload starts the form again from the current version.
  const [generation, setGeneration] = useState(0);
  if (org.isPending || (id && current.isPending) || (!id && surveys.isPending)) return <Loading />;
  if (!org.data) return <ErrorMessage error={org.error} />;
  if (id && !current.data) return <ErrorMessage error={current.error} />;
  const o = org.data;
  const c = current.data?.item;
  const initial = c ? consultationFormFrom(c, o.time_zone) : emptyConsultationForm();
  return (
    <ConsultationForm
      key={`${generation}-${current.data?.etag ?? 'new'}`}
      org={o}
      initial={initial}
      periodLocked={!!c && c.status !== 'planned'}
      surveys={id ? undefined : surveys.data?.items}
      submitLabel={id ? t('common.save') : t('consultationForm.create')}
      onReload={() => void current.refetch().then(() => setGeneration((g) => g + 1))}
      onSubmit={(f) =>
        save
          .mutateAsync({ body: createConsultationBody(f, o), update: updateConsultationBody(f, initial, o), etag: current.data?.etag })
          .then((saved) => void navigate(`/o/${slug}/consultations/${saved.id}`))
      }
    />
  );
}

/** Staff: open a new consultation, or edit one (its period only before it opens). */
export default function ConsultationFormPage() {
  const { slug = '', id } = useParams();
  const { t } = useTranslation();
  return (
    <section>
      <p>
        <Link to={id ? `/o/${slug}/consultations/${id}` : `/o/${slug}/consultations`}>{t('common.back')}</Link>
      </p>
      <StaffOnly slug={slug} back={`/o/${slug}/consultations`} backLabel={t('consultations.title')}>
        <h1>{id ? t('consultationForm.editTitle') : t('consultationForm.newTitle')}</h1>
        <Form slug={slug} id={id} />
      </StaffOnly>
    </section>
  );
}
