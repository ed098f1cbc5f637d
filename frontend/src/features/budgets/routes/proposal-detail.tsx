import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router-dom';
import { ErrorMessage, Field, Loading, Localized, TextArea } from '../../../components/ui';
import { api } from '../../../lib/api-client';
import { useAuth } from '../../../lib/auth';
import { resolveText, type Locale } from '../../../lib/language';
import { useApi } from '../../../lib/use-api';
import { BudgetNav, ReviewBadge, useMoney } from '../components/parts';
import { errorsByPath, isStaff, moneyInput, moneyProblem, reviewBody, type Budget, type Proposal } from '../lib/budgets';
import { useBudget, useOrg } from '../lib/use-budgets-api';

/** A proposal: what it is, what it costs, its review and its supports. */
export function ProposalDetail() {
  const { slug = '', id = '', pid = '' } = useParams();
  const { t, i18n } = useTranslation();
  const { user } = useAuth();
  const lang = i18n.language as Locale;
  const org = useOrg(slug);
  const budget = useBudget(slug, id, user?.id);
  const proposal = useApi(() => api.GET('/api/v1/orgs/{org}/budgets/{id}/proposals/{proposal_id}', { params: { path: { org: slug, id, proposal_id: pid } } }), [slug, id, pid, user?.id]);
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const money = useMoney(proposal.data?.estimated_cost.currency ?? 'EUR');
  if ((proposal.loading && !proposal.data) || (budget.loading && !budget.data)) return <Loading />;
  if (!proposal.data || !budget.data) return <ErrorMessage error={proposal.error ?? budget.error} />;
  const p = proposal.data;
  const b = budget.data;
  const fallback = org.data?.default_locale;
  const nameOf = (items: Budget['districts'] | Budget['categories'], key: string) => resolveText(items.find((x) => x.key === key)?.name, lang, fallback)?.text ?? key;
  const support = async () => {
    setBusy(true);
    const r = await api.POST('/api/v1/orgs/{org}/budgets/{id}/proposals/{proposal_id}/supports', { params: { path: { org: slug, id, proposal_id: pid } } });
    setBusy(false);
    setError(r.error);
    if (!r.error) proposal.reload();
  };
  return (
    <article>
      <p>
        <Link to={`/o/${slug}/budgets/${id}/proposals`}>{t('budgets.allProposals')}</Link>
      </p>
      <Localized as="h1" text={p.title} fallback={fallback} />
      <BudgetNav slug={slug} budget={b} />
      <Localized as="p" text={p.description} fallback={fallback} />
      <dl className="facts">
        <dt>{t('budgets.estimatedCost')}</dt>
        <dd>{money(p.estimated_cost.amount)}</dd>
        {p.validated_cost && (
          <>
            <dt>{t('budgets.validatedCost')}</dt>
            <dd>{money(p.validated_cost.amount)}</dd>
          </>
        )}
        {p.district && (
          <>
            <dt>{t('budgets.district')}</dt>
            <dd>{nameOf(b.districts, p.district)}</dd>
          </>
        )}
        {p.category && (
          <>
            <dt>{t('budgets.category')}</dt>
            <dd>{nameOf(b.categories, p.category)}</dd>
          </>
        )}
        {p.location && (
          <>
            <dt>{t('budgets.location')}</dt>
            <dd>{p.location}</dd>
          </>
        )}
        <dt>{t('budgets.review')}</dt>
        <dd>
          <ReviewBadge review={p.review} />
          {p.review_reason && <p>{t('budgets.reasonIs', { reason: p.review_reason })}</p>}
        </dd>
        <dt>{t('budgets.onBallotFilter')}</dt>
        <dd>{p.on_ballot ? t('budgets.yes') : t('budgets.no')}</dd>
        <dt>{t('budgets.supports')}</dt>
        <dd>{t('budgets.supportsCount', { n: p.supports })}</dd>
      </dl>
      {p.images.length > 0 && (
        <section aria-labelledby="proposal-images">
          <h2 id="proposal-images">{t('budgets.images')}</h2>
          <ul>
            {p.images.map((u) => (
              <li key={u}>
                <a href={u}>{u}</a>
              </li>
            ))}
          </ul>
        </section>
      )}
      {b.phase === 'supports' && (
        <section aria-labelledby="proposal-support" className="panel">
          <h2 id="proposal-support">{t('budgets.supports')}</h2>
          {p.supported ? (
            <p role="status">{t('budgets.youSupported')}</p>
          ) : user ? (
            <button type="button" disabled={busy} onClick={() => void support()}>
              {t('budgets.support')}
            </button>
          ) : (
            <Link to={`/login?next=/o/${slug}/budgets/${id}/proposals/${pid}`}>{t('budgets.logInToSupport')}</Link>
          )}
          <ErrorMessage error={error} />
        </section>
      )}
      {p.mine && b.phase === 'proposals' && p.review === 'submitted' && (
        <p>
          <Link className="button-link" to={`/o/${slug}/budgets/${id}/proposals/${pid}/edit`}>
            {t('budgets.editProposal')}
          </Link>
        </p>
      )}
      {isStaff(user, slug) && b.phase === 'review' && <ReviewForm slug={slug} budgetId={id} proposal={p} onDone={proposal.reload} />}
    </article>
  );
}

/** Staff record whether a proposal is feasible, its validated cost or the reasons it is not. */
function ReviewForm({ slug, budgetId, proposal: p, onDone }: { slug: string; budgetId: string; proposal: Proposal; onDone: () => void }) {
  const { t } = useTranslation();
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const [feasible, setFeasible] = useState(p.review !== 'unfeasible');
  const [saved, setSaved] = useState(false);
  const currency = p.estimated_cost.currency;
  const submit = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const body = reviewBody(new FormData(e.currentTarget), currency);
    const invalid = moneyProblem('validated_cost', body.validated_cost, t('budgets.moneyInvalid'));
    if (invalid) return setError(invalid);
    setBusy(true);
    const r = await api.POST('/api/v1/orgs/{org}/budgets/{id}/proposals/{proposal_id}/review', { params: { path: { org: slug, id: budgetId, proposal_id: p.id } }, body });
    setBusy(false);
    setError(r.error);
    setSaved(!r.error);
    if (!r.error) onDone();
  };
  const errors = errorsByPath(error);
  return (
    <section aria-labelledby="proposal-review" className="panel">
      <h2 id="proposal-review">{t('budgets.reviewTitle')}</h2>
      <form onSubmit={(e) => void submit(e)} noValidate className="stacked-form">
        <fieldset>
          <legend>{t('budgets.feasibility')}</legend>
          <label>
            <input type="radio" name="feasible" value="yes" checked={feasible} onChange={() => setFeasible(true)} /> {t('budgets.feasible')}
          </label>
          <br />
          <label>
            <input type="radio" name="feasible" value="no" checked={!feasible} onChange={() => setFeasible(false)} /> {t('budgets.unfeasible')}
          </label>
        </fieldset>
        {feasible ? (
          <Field
            label={t('budgets.validatedCostIn', { currency })}
            name="validated_cost"
            inputMode="decimal"
            defaultValue={moneyInput(p.validated_cost?.amount, currency)}
            hint={t('budgets.validatedCostHint')}
            error={errors.validated_cost}
          />
        ) : (
          <TextArea label={t('budgets.reason')} name="reason" rows={3} required defaultValue={p.review_reason ?? ''} hint={t('budgets.reasonHint')} error={errors.reason} />
        )}
        <ErrorMessage error={error} />
        {saved && <p role="status">{t('budgets.reviewSaved')}</p>}
        <button type="submit" disabled={busy}>
          {t('budgets.saveReview')}
        </button>
      </form>
    </section>
  );
}
