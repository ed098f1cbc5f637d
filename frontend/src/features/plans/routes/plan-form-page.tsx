import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, Navigate, useNavigate, useParams } from 'react-router-dom';
import { ErrorMessage, Field, Loading } from '../../../components/ui';
import { api } from '../../../lib/api-client';
import { useAuth } from '../../../lib/auth';
import { useApi } from '../../../lib/use-api';
import { LinkRows, LocalizedInputs, orgLocales } from '../components/parts';
import { errorFor, errorsByPath, isStaff, planBody } from '../lib/plans';
import { useOrg, withEtag } from '../lib/use-plans-api';

/** Creates an action plan (as a draft) or edits one, for staff. */
export function PlanFormPage() {
  const { slug = '', id } = useParams();
  const { t } = useTranslation();
  const { user } = useAuth();
  const navigate = useNavigate();
  const org = useOrg(slug);
  const plan = useApi(
    () => (id ? withEtag(api.GET('/api/v1/orgs/{org}/action-plans/{id}', { params: { path: { org: slug, id } } })) : Promise.resolve({ data: undefined, error: undefined, response: new Response() })),
    [slug, id],
  );
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  if (user === undefined || org.loading || (id && plan.loading)) return <Loading />;
  if (user === null) return <Navigate to={`/login?next=/o/${slug}/plans`} />;
  if (!isStaff(user, slug)) return <p role="alert">{t('admin.forbidden')}</p>;
  if (!org.data) return <ErrorMessage error={org.error} />;
  if (id && !plan.data) return <ErrorMessage error={plan.error} />;
  const locales = orgLocales(org.data);
  const p = plan.data?.item;

  const submit = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    setBusy(true);
    const body = planBody(new FormData(e.currentTarget), locales);
    const r = id
      ? await api.PATCH('/api/v1/orgs/{org}/action-plans/{id}', { params: { path: { org: slug, id }, header: { 'If-Match': plan.data?.etag } }, body })
      : await api.POST('/api/v1/orgs/{org}/action-plans', { params: { path: { org: slug } }, body });
    setBusy(false);
    setError(r.error);
    if (r.data) navigate(`/o/${slug}/plans/${r.data.id}`);
  };
  const errors = errorsByPath(error);
  return (
    <section>
      <p>
        <Link to={id ? `/o/${slug}/plans/${id}` : `/o/${slug}/plans`}>{t('common.back')}</Link>
      </p>
      <h1>{id ? t('plans.editPlan') : t('plans.newPlan')}</h1>
      <form onSubmit={(e) => void submit(e)} noValidate className="stacked-form">
        <LocalizedInputs name="title" label={t('plans.planTitle')} locales={locales} value={p?.title} errors={errors} required />
        <LocalizedInputs name="description" label={t('plans.description')} locales={locales} value={p?.description} errors={errors} multiline />
        <div className="two-cols">
          <Field label={t('plans.startDate')} name="start_date" type="date" required defaultValue={p?.start_date} error={errors.start_date} />
          <Field label={t('plans.endDate')} name="end_date" type="date" required defaultValue={p?.end_date} error={errors.end_date} />
        </div>
        <LinkRows prefix="doc" legend={t('plans.documents')} addLabel={t('plans.addDocument')} initial={p?.documents} errors={errors} errorPath="documents" />
        {errorFor(errors, 'documents') && <p className="field-error">{errorFor(errors, 'documents')}</p>}
        <ErrorMessage error={error} />
        <button type="submit" disabled={busy}>
          {id ? t('common.save') : t('plans.createPlan')}
        </button>
      </form>
    </section>
  );
}
