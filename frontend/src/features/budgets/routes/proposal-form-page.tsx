import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, Navigate, useNavigate, useParams } from 'react-router-dom';
import { ErrorMessage, Field, Loading, Select, TextArea } from '../../../components/ui';
import { api } from '../../../lib/api-client';
import { useAuth } from '../../../lib/auth';
import { resolveText, type Locale } from '../../../lib/language';
import { useApi } from '../../../lib/use-api';
import { LocalizedInputs, orgLocales } from '../components/parts';
import { errorsByPath, moneyInput, moneyProblem, proposalBody } from '../lib/budgets';
import { useBudget, useOrg } from '../lib/use-budgets-api';

/** A resident proposes a project in the proposals phase, or its author edits it until review. */
export function ProposalFormPage() {
  const { slug = '', id = '', pid } = useParams();
  const { t, i18n } = useTranslation();
  const { user } = useAuth();
  const lang = i18n.language as Locale;
  const navigate = useNavigate();
  const org = useOrg(slug);
  const budget = useBudget(slug, id, user?.id);
  const proposal = useApi(async () => {
    if (!pid) return { data: undefined, error: undefined, response: new Response() };
    const r = await api.GET('/api/v1/orgs/{org}/budgets/{id}/proposals/{proposal_id}', { params: { path: { org: slug, id, proposal_id: pid } } });
    return { ...r, data: r.data && { item: r.data, etag: r.response.headers.get('ETag') ?? undefined } };
  }, [slug, id, pid, user?.id]);
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const back = pid ? `/o/${slug}/budgets/${id}/proposals/${pid}` : `/o/${slug}/budgets/${id}`;
  if (user === undefined || org.loading || budget.loading || (pid && proposal.loading)) return <Loading />;
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

  const submit = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const body = proposalBody(new FormData(e.currentTarget), locales, currency);
    const invalid = moneyProblem('estimated_cost', body.estimated_cost, t('budgets.moneyInvalid'));
    if (invalid) return setError(invalid);
    setBusy(true);
    const r = pid
      ? await api.PATCH('/api/v1/orgs/{org}/budgets/{id}/proposals/{proposal_id}', {
          params: { path: { org: slug, id, proposal_id: pid }, header: { 'If-Match': proposal.data?.etag } },
          body,
        })
      : await api.POST('/api/v1/orgs/{org}/budgets/{id}/proposals', { params: { path: { org: slug, id } }, body });
    setBusy(false);
    setError(r.error);
    if (r.data) navigate(`/o/${slug}/budgets/${id}/proposals/${r.data.id}`);
  };
  const errors = errorsByPath(error);
  const name = (n: Record<string, string | null | undefined>, key: string) => resolveText(n, lang, fallback)?.text ?? key;
  return (
    <section>
      <p>
        <Link to={back}>{t('common.back')}</Link>
      </p>
      <h1>{pid ? t('budgets.editProposal') : t('budgets.newProposal')}</h1>
      <form onSubmit={(e) => void submit(e)} noValidate className="stacked-form">
        <LocalizedInputs name="title" label={t('budgets.proposalTitle')} locales={locales} value={p?.title} errors={errors} required />
        <LocalizedInputs name="description" label={t('budgets.description')} locales={locales} value={p?.description} errors={errors} multiline required />
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
        <Field
          label={t('budgets.estimatedCostIn', { currency })}
          name="estimated_cost"
          inputMode="decimal"
          required
          defaultValue={moneyInput(p?.estimated_cost.amount, currency)}
          hint={t('budgets.moneyHint')}
          error={errors.estimated_cost}
        />
        <TextArea label={t('budgets.imageUrls')} name="images" rows={3} defaultValue={p?.images.join('\n') ?? ''} hint={t('budgets.onePerLine')} error={errors.images} />
        <ErrorMessage error={error} />
        <button type="submit" disabled={busy}>
          {pid ? t('common.save') : t('budgets.submitProposal')}
        </button>
      </form>
    </section>
  );
}
