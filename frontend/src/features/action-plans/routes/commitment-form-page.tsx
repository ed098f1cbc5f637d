import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, Navigate, useNavigate, useParams } from 'react-router-dom';
import { GroupError, MoneyInput, moneyProblem, MultilingualInput } from '../../../components/forms';
import { ErrorMessage, Field, Loading, Select, TextArea } from '../../../components/ui';
import { useAuth } from '../../../lib/auth';
import { errorFor, errorsByPath } from '../../../lib/errors';
import { orgLocales } from '../../../lib/forms';
import { canCreate, canEdit } from '../../../lib/permissions';
import { useCommitment, useOrg, useSaveCommitment } from '../api';
import { commitmentBody, IRM_CHOICES, OGP_VALUES } from '../lib/plans';

/** Creates a commitment in a plan or edits one, for staff. */
export function CommitmentFormPage() {
  const { slug = '', id = '', cid } = useParams();
  const { t } = useTranslation();
  const { user } = useAuth();
  const navigate = useNavigate();
  const org = useOrg(slug);
  const commitment = useCommitment(slug, cid);
  const save = useSaveCommitment(slug, id, cid);
  // A money input that is not a number, caught before sending.
  const [invalid, setInvalid] = useState<unknown>();
  if (user === undefined || org.isPending || commitment.isLoading) return <Loading />;
  if (user === null) return <Navigate to={`/login?next=/o/${slug}/action-plans/${id}`} />;
  if (!(cid ? canEdit(user, slug, commitment.data?.item) : canCreate(user, slug))) return <p role="alert">{t('admin.forbidden')}</p>;
  if (!org.data) return <ErrorMessage error={org.error} />;
  if (cid && !commitment.data) return <ErrorMessage error={commitment.error} />;
  const locales = orgLocales(org.data);
  const currency = org.data.currency;
  const c = commitment.data?.item;
  const back = cid ? `/o/${slug}/action-plans/${id}/commitments/${cid}` : `/o/${slug}/action-plans/${id}`;

  const submit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const body = commitmentBody(new FormData(e.currentTarget), locales, currency);
    const problem = moneyProblem('budget', body.budget, t('common.moneyInvalid'));
    setInvalid(problem);
    if (problem) return save.reset();
    save.mutate({ body, etag: commitment.data?.etag }, { onSuccess: (saved) => navigate(`/o/${slug}/action-plans/${id}/commitments/${saved.id}`) });
  };
  const error = invalid ?? save.error;
  const errors = errorsByPath(error);
  return (
    <section>
      <p>
        <Link to={back}>{t('common.back')}</Link>
      </p>
      <h1>{cid ? t('plans.editCommitment') : t('plans.newCommitment')}</h1>
      <form onSubmit={submit} noValidate className="stacked-form">
        <MultilingualInput name="title" label={t('plans.commitmentTitle')} locales={locales} defaultValue={c?.title} errors={errors} required />
        <Field label={t('plans.lead')} name="lead" required aria-required defaultValue={c?.lead} error={errorFor(errors, 'lead')} hint={t('plans.leadHint')} />
        <TextArea
          label={t('plans.supportingActors')}
          name="supporting_actors"
          rows={3}
          defaultValue={c?.supporting_actors.join('\n')}
          hint={t('plans.onePerLine')}
          error={errorFor(errors, 'supporting_actors')}
        />
        <MultilingualInput name="problem" label={t('plans.problem')} locales={locales} defaultValue={c?.problem} errors={errors} multiline />
        <MultilingualInput name="status_quo" label={t('plans.statusQuo')} locales={locales} defaultValue={c?.status_quo} errors={errors} multiline />
        <MultilingualInput name="objective" label={t('plans.objective')} locales={locales} defaultValue={c?.objective} errors={errors} multiline />
        <fieldset>
          <legend>{t('plans.ogpValues')}</legend>
          {OGP_VALUES.map((v) => (
            <label key={v} className="check">
              <input type="checkbox" name="ogp_values" value={v} defaultChecked={c?.ogp_values.includes(v)} /> {t(`plans.ogp_${v}`)}
            </label>
          ))}
          <GroupError errors={errors} name="ogp_values" />
        </fieldset>
        <Field label={t('plans.theme')} name="theme" defaultValue={c?.theme ?? ''} error={errorFor(errors, 'theme')} />
        <MoneyInput label={t('plans.budgetIn', { currency })} name="budget" currency={currency} defaultAmount={c?.budget} error={errorFor(errors, 'budget')} />
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
        <button type="submit" disabled={save.isPending}>
          {cid ? t('common.save') : t('plans.createCommitment')}
        </button>
      </form>
    </section>
  );
}
