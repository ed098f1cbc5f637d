import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, Navigate, useNavigate, useParams } from 'react-router-dom';
import { ErrorMessage, Field, Loading, Select, TextArea } from '../../../components/ui';
import { api } from '../../../lib/api-client';
import { useAuth } from '../../../lib/auth';
import { useApi } from '../../../lib/use-api';
import { LocalizedInputs, orgLocales } from '../components/parts';
import { commitmentBody, errorFor, errorsByPath, IRM_CHOICES, isStaff, moneyInput, moneyProblem, OGP_VALUES } from '../lib/plans';
import { useOrg, withEtag } from '../lib/use-plans-api';

/** Creates a commitment in a plan or edits one, for staff. */
export function CommitmentFormPage() {
  const { slug = '', id = '', cid } = useParams();
  const { t } = useTranslation();
  const { user } = useAuth();
  const navigate = useNavigate();
  const org = useOrg(slug);
  const commitment = useApi(
    () =>
      cid
        ? withEtag(api.GET('/api/v1/orgs/{org}/commitments/{id}', { params: { path: { org: slug, id: cid } } }))
        : Promise.resolve({ data: undefined, error: undefined, response: new Response() }),
    [slug, cid],
  );
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  if (user === undefined || org.loading || (cid && commitment.loading)) return <Loading />;
  if (user === null) return <Navigate to={`/login?next=/o/${slug}/plans/${id}`} />;
  if (!isStaff(user, slug)) return <p role="alert">{t('admin.forbidden')}</p>;
  if (!org.data) return <ErrorMessage error={org.error} />;
  if (cid && !commitment.data) return <ErrorMessage error={commitment.error} />;
  const locales = orgLocales(org.data);
  const currency = org.data.currency;
  const c = commitment.data?.item;
  const back = cid ? `/o/${slug}/plans/${id}/commitments/${cid}` : `/o/${slug}/plans/${id}`;

  const submit = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const body = commitmentBody(new FormData(e.currentTarget), locales, currency);
    const invalid = moneyProblem('budget', body.budget, t('plans.moneyInvalid'));
    if (invalid) return setError(invalid);
    setBusy(true);
    const r = cid
      ? await api.PATCH('/api/v1/orgs/{org}/commitments/{id}', { params: { path: { org: slug, id: cid }, header: { 'If-Match': commitment.data?.etag } }, body })
      : await api.POST('/api/v1/orgs/{org}/commitments', { params: { path: { org: slug } }, body: { ...body, action_plan_id: id } });
    setBusy(false);
    setError(r.error);
    if (r.data) navigate(`/o/${slug}/plans/${id}/commitments/${r.data.id}`);
  };
  const errors = errorsByPath(error);
  return (
    <section>
      <p>
        <Link to={back}>{t('common.back')}</Link>
      </p>
      <h1>{cid ? t('plans.editCommitment') : t('plans.newCommitment')}</h1>
      <form onSubmit={(e) => void submit(e)} noValidate className="stacked-form">
        <LocalizedInputs name="title" label={t('plans.commitmentTitle')} locales={locales} value={c?.title} errors={errors} required />
        <Field label={t('plans.lead')} name="lead" required aria-required defaultValue={c?.lead} error={errorFor(errors, 'lead')} hint={t('plans.leadHint')} />
        <TextArea
          label={t('plans.supportingActors')}
          name="supporting_actors"
          rows={3}
          defaultValue={c?.supporting_actors.join('\n')}
          hint={t('plans.onePerLine')}
          error={errorFor(errors, 'supporting_actors')}
        />
        <LocalizedInputs name="problem" label={t('plans.problem')} locales={locales} value={c?.problem} errors={errors} multiline />
        <LocalizedInputs name="status_quo" label={t('plans.statusQuo')} locales={locales} value={c?.status_quo} errors={errors} multiline />
        <LocalizedInputs name="objective" label={t('plans.objective')} locales={locales} value={c?.objective} errors={errors} multiline />
        <fieldset>
          <legend>{t('plans.ogpValues')}</legend>
          {OGP_VALUES.map((v) => (
            <label key={v} className="check">
              <input type="checkbox" name="ogp_values" value={v} defaultChecked={c?.ogp_values.includes(v)} /> {t(`plans.ogp_${v}`)}
            </label>
          ))}
          {errorFor(errors, 'ogp_values') && <p className="field-error">{errorFor(errors, 'ogp_values')}</p>}
        </fieldset>
        <Field label={t('plans.theme')} name="theme" defaultValue={c?.theme ?? ''} error={errorFor(errors, 'theme')} />
        <Field
          label={t('plans.budgetIn', { currency })}
          name="budget"
          inputMode="decimal"
          defaultValue={moneyInput(c?.budget, currency)}
          error={errorFor(errors, 'budget')}
          hint={t('plans.moneyHint')}
        />
        <fieldset>
          <legend>{t('plans.irm')}</legend>
          <Select label={t('plans.irm_verifiable')} name="irm_verifiable" defaultValue={c?.irm?.verifiable === true ? 'yes' : c?.irm?.verifiable === false ? 'no' : ''}>
            <option value="">{t('plans.irmNotAssessed')}</option>
            <option value="yes">{t('plans.yes')}</option>
            <option value="no">{t('plans.no')}</option>
          </Select>
          {(Object.keys(IRM_CHOICES) as (keyof typeof IRM_CHOICES)[]).map((f) => (
            <Select key={f} label={t(`plans.irm_${f}`)} name={`irm_${f}`} defaultValue={c?.irm?.[f] ?? ''} error={errorFor(errors, `irm.${f}`)}>
              <option value="">{t('plans.irmNotAssessed')}</option>
              {IRM_CHOICES[f].map((v) => (
                <option key={v} value={v}>
                  {t(`plans.irmv_${v}`)}
                </option>
              ))}
            </Select>
          ))}
          <TextArea label={t('plans.irm_evidence')} name="irm_evidence" rows={3} defaultValue={c?.irm?.evidence ?? ''} error={errorFor(errors, 'irm.evidence')} />
        </fieldset>
        <ErrorMessage error={error} />
        <button type="submit" disabled={busy}>
          {cid ? t('common.save') : t('plans.createCommitment')}
        </button>
      </form>
    </section>
  );
}
