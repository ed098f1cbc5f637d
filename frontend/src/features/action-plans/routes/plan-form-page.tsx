import type { FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, Navigate, useNavigate, useParams } from 'react-router-dom';
import { GroupError, MultilingualInput } from '../../../components/forms';
import { ErrorMessage, Field, Loading } from '../../../components/ui';
import { useAuth } from '../../../lib/auth';
import { errorsByPath } from '../../../lib/errors';
import { orgLocales } from '../../../lib/forms';
import { canCreate, canEdit } from '../../../lib/permissions';
import { useOrg, usePlan, useSavePlan } from '../api';
import { LinkRows } from '../components/parts';
import { planBody } from '../lib/plans';

/** Creates an action plan (as a draft) or edits one, for staff. */
export function PlanFormPage() {
  const { slug = '', id } = useParams();
  const { t } = useTranslation();
  const { user } = useAuth();
  const navigate = useNavigate();
  const org = useOrg(slug);
  const plan = usePlan(slug, id);
  const save = useSavePlan(slug, id);
  if (user === undefined || org.isPending || plan.isLoading) return <Loading />;
  if (user === null) return <Navigate to={`/login?next=/o/${slug}/action-plans`} />;
  if (!(id ? canEdit(user, slug, plan.data?.item) : canCreate(user, slug))) return <p role="alert">{t('admin.forbidden')}</p>;
  if (!org.data) return <ErrorMessage error={org.error} />;
  if (id && !plan.data) return <ErrorMessage error={plan.error} />;
  const locales = orgLocales(org.data);
  const p = plan.data?.item;

  const submit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const body = planBody(new FormData(e.currentTarget), locales);
    save.mutate({ body, etag: plan.data?.etag }, { onSuccess: (saved) => navigate(`/o/${slug}/action-plans/${saved.id}`) });
  };
  const errors = errorsByPath(save.error);
  return (
    <section>
      <p>
        <Link to={id ? `/o/${slug}/action-plans/${id}` : `/o/${slug}/action-plans`}>{t('common.back')}</Link>
      </p>
      <h1>{id ? t('plans.editPlan') : t('plans.newPlan')}</h1>
      <form onSubmit={submit} noValidate className="stacked-form">
        <MultilingualInput name="title" label={t('plans.planTitle')} locales={locales} defaultValue={p?.title} errors={errors} required />
        <MultilingualInput name="description" label={t('plans.description')} locales={locales} defaultValue={p?.description} errors={errors} multiline />
        <div className="two-cols">
          <Field label={t('plans.startDate')} name="start_date" type="date" required defaultValue={p?.start_date} error={errors.start_date} />
          <Field label={t('plans.endDate')} name="end_date" type="date" required defaultValue={p?.end_date} error={errors.end_date} />
        </div>
        <LinkRows prefix="doc" legend={t('plans.documents')} addLabel={t('plans.addDocument')} initial={p?.documents} errors={errors} errorPath="documents" />
        <GroupError errors={errors} name="documents" />
        <ErrorMessage error={save.error} />
        <button type="submit" disabled={save.isPending}>
          {id ? t('common.save') : t('plans.createPlan')}
        </button>
      </form>
    </section>
  );
}
