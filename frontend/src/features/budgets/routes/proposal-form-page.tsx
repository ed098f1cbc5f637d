import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, Navigate, useNavigate, useParams } from 'react-router-dom';
import { MoneyInput, moneyProblem, MultilingualInput } from '../../../components/forms';
import { ErrorMessage, Field, Loading, Select, TextArea } from '../../../components/ui';
import { useAuth } from '../../../lib/auth';
import { errorsByPath } from '../../../lib/errors';
import { orgLocales } from '../../../lib/forms';
import { resolveText, type Locale } from '../../../lib/language';
import { useBudget, useOrg, useSaveProposal, useVersionedProposal } from '../api';
import { proposalBody } from '../lib/budgets';

/** A resident proposes a project in the proposals phase, or its author edits it until review. */
export function ProposalFormPage() {
  const { slug = '', id = '', pid } = useParams();
  const { t, i18n } = useTranslation();
  const { user } = useAuth();
  const lang = i18n.language as Locale;
  const navigate = useNavigate();
  const org = useOrg(slug);
  const budget = useBudget(slug, id);
  const proposal = useVersionedProposal(slug, id, pid);
  const save = useSaveProposal(slug, id, pid);
  // A money input that is not a number, caught before sending.
  const [invalid, setInvalid] = useState<unknown>();
  const back = pid ? `/o/${slug}/budgets/${id}/proposals/${pid}` : `/o/${slug}/budgets/${id}`;
  if (user === undefined || org.isPending || budget.isPending || proposal.isLoading) return <Loading />;
  if (user === null) return <Navigate to={`/login?next=${back}`} />;
  if (!org.data || !budget.data) return <ErrorMessage error={org.error ?? budget.error} />;
  if (pid && !proposal.data) return <ErrorMessage error={proposal.error} />;
  const b = budget.data;
  const p = proposal.data?.item;
  const locales = orgLocales(org.data);
  const currency = b.total.currency;
  const fallback = org.data.default_locale;
  if (b.phase !== 'proposals' || (p && (!p.mine || p.review !== 'submitted'))) {
    return (
      <section>
        <p>
          <Link to={back}>{t('common.back')}</Link>
        </p>
        <p role="alert">{t('budgets.proposalsClosed')}</p>
      </section>
    );
  }

  const submit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const body = proposalBody(new FormData(e.currentTarget), locales, currency);
    const problem = moneyProblem('estimated_cost', body.estimated_cost, t('common.moneyInvalid'));
    setInvalid(problem);
    if (problem) return save.reset();
    save.mutate({ body, etag: proposal.data?.etag }, { onSuccess: (saved) => navigate(`/o/${slug}/budgets/${id}/proposals/${saved.id}`) });
  };
  const error = invalid ?? save.error;
  const errors = errorsByPath(error);
  const name = (n: Record<string, string | null | undefined>, key: string) => resolveText(n, lang, fallback)?.text ?? key;
  return (
    <section>
      <p>
        <Link to={back}>{t('common.back')}</Link>
      </p>
      <h1>{pid ? t('budgets.editProposal') : t('budgets.newProposal')}</h1>
      <form onSubmit={submit} noValidate className="stacked-form">
        <MultilingualInput name="title" label={t('budgets.proposalTitle')} locales={locales} defaultValue={p?.title} errors={errors} required />
        <MultilingualInput name="description" label={t('budgets.description')} locales={locales} defaultValue={p?.description} errors={errors} multiline required />
        <div className="two-cols">
          {b.districts.length > 0 && (
            <Select label={t('budgets.district')} name="district" defaultValue={p?.district ?? ''} error={errors.district}>
              <option value="">{t('budgets.wholeCity')}</option>
              {b.districts.map((d) => (
                <option key={d.key} value={d.key}>
                  {name(d.name, d.key)}
                </option>
              ))}
            </Select>
          )}
          {b.categories.length > 0 && (
            <Select label={t('budgets.category')} name="category" defaultValue={p?.category ?? ''} error={errors.category}>
              <option value="">{t('budgets.noCategory')}</option>
              {b.categories.map((c) => (
                <option key={c.key} value={c.key}>
                  {name(c.name, c.key)}
                </option>
              ))}
            </Select>
          )}
        </div>
        <Field label={t('budgets.location')} name="location" defaultValue={p?.location ?? ''} hint={t('budgets.locationHint')} error={errors.location} />
        <MoneyInput label={t('budgets.estimatedCostIn', { currency })} name="estimated_cost" currency={currency} required defaultAmount={p?.estimated_cost.amount} error={errors.estimated_cost} />
        <TextArea label={t('budgets.imageUrls')} name="images" rows={3} defaultValue={p?.images.join('\n') ?? ''} hint={t('budgets.onePerLine')} error={errors.images} />
        <ErrorMessage error={error} />
        <button type="submit" disabled={save.isPending}>
          {pid ? t('common.save') : t('budgets.submitProposal')}
        </button>
      </form>
    </section>
  );
}
