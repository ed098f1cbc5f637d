import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router-dom';
import { Comments, ReportButton } from '../../../components/comments';
import { ProposalFiles } from '../../../components/files';
import { MoneyInput, moneyProblem } from '../../../components/forms';
import { ErrorMessage, Loading, Localized, TextArea } from '../../../components/ui';
import { useAuth } from '../../../lib/auth';
import { errorsByPath } from '../../../lib/errors';
import { resolveText, type Locale } from '../../../lib/language';
import { canEdit, canReview } from '../../../lib/permissions';
import { useBudget, useOrg, useProposal, useReviewProposal, useSupportProposal } from '../api';
import { BudgetNav, ReviewBadge, useMoney } from '../components/parts';
import { reviewBody, type Budget, type Proposal } from '../lib/budgets';
import { FollowButton } from '../../../components/follow-button';

/** A proposal: what it is, what it costs, its review and its supports. */
export function ProposalDetail() {
  const { slug = '', id = '', pid = '' } = useParams();
  const { t, i18n } = useTranslation();
  const { user } = useAuth();
  const lang = i18n.language as Locale;
  const org = useOrg(slug);
  const budget = useBudget(slug, id);
  const proposal = useProposal(slug, id, pid);
  const supporting = useSupportProposal();
  const money = useMoney(proposal.data?.estimated_cost.currency ?? 'EUR');
  if (proposal.isPending || budget.isPending) return <Loading />;
  if (!proposal.data || !budget.data) return <ErrorMessage error={proposal.error ?? budget.error} />;
  const p = proposal.data;
  const b = budget.data;
  const fallback = org.data?.default_locale;
  const nameOf = (items: Budget['districts'] | Budget['categories'], key: string) => resolveText(items.find((x) => x.key === key)?.name, lang, fallback)?.text ?? key;
  const support = () => supporting.mutate({ params: { path: { org: slug, id, proposal_id: pid } } });
  return (
    <article>
      <p>
        <Link to={`/o/${slug}/budgets/${id}/proposals`}>{t('budgets.allProposals')}</Link>
      </p>
      <Localized as="h1" text={p.title} fallback={fallback} />
      <p>
        <FollowButton target="proposal" id={pid} />
      </p>
      <BudgetNav slug={slug} budget={b} />
      {p.hidden_reason && (
        <p role="note" className="notice">
          {t('comments.hiddenBy', { reason: p.hidden_reason })}
        </p>
      )}
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
      <ProposalFiles org={slug} budget={id} proposal={pid} canUpload={(p.mine && b.phase === 'proposals') || canEdit(user, slug, b)} />
      {b.phase === 'supports' && (
        <section aria-labelledby="proposal-support" className="panel">
          <h2 id="proposal-support">{t('budgets.supports')}</h2>
          {p.supported ? (
            <p role="status">{t('budgets.youSupported')}</p>
          ) : user ? (
            <button type="button" disabled={supporting.isPending} onClick={support}>
              {t('budgets.support')}
            </button>
          ) : (
            <Link to={`/login?next=/o/${slug}/budgets/${id}/proposals/${pid}`}>{t('budgets.logInToSupport')}</Link>
          )}
          <ErrorMessage error={supporting.error} />
        </section>
      )}
      {p.mine && b.phase === 'proposals' && p.review === 'submitted' && (
        <p>
          <Link className="button-link" to={`/o/${slug}/budgets/${id}/proposals/${pid}/edit`}>
            {t('budgets.editProposal')}
          </Link>
        </p>
      )}
      {canReview(user, slug, p) && b.phase === 'review' && <ReviewForm slug={slug} budgetId={id} proposal={p} />}
      {user && !p.mine && (
        <p>
          <ReportButton slug={slug} itemKind="budget_proposal" itemId={pid} label={t('comments.reportProposal')} />
        </p>
      )}
      <Comments slug={slug} kind="budget_proposal" targetId={pid} back={`/o/${slug}/budgets/${id}/proposals/${pid}`} />
    </article>
  );
}

/** Staff record whether a proposal is feasible, its validated cost or the reasons it is not. */
function ReviewForm({ slug, budgetId, proposal: p }: { slug: string; budgetId: string; proposal: Proposal }) {
  const { t } = useTranslation();
  const review = useReviewProposal();
  // A money input that is not a number, caught before sending.
  const [invalid, setInvalid] = useState<unknown>();
  const [feasible, setFeasible] = useState(p.review !== 'unfeasible');
  const currency = p.estimated_cost.currency;
  const submit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const body = reviewBody(new FormData(e.currentTarget), currency);
    const problem = moneyProblem('validated_cost', body.validated_cost, t('common.moneyInvalid'));
    setInvalid(problem);
    if (problem) return review.reset();
    review.mutate({ params: { path: { org: slug, id: budgetId, proposal_id: p.id } }, body });
  };
  const error = invalid ?? review.error;
  const saved = review.isSuccess;
  const errors = errorsByPath(error);
  return (
    <section aria-labelledby="proposal-review" className="panel">
      <h2 id="proposal-review">{t('budgets.reviewTitle')}</h2>
      <form onSubmit={submit} noValidate className="stacked-form">
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
          <MoneyInput
            label={t('budgets.validatedCostIn', { currency })}
            name="validated_cost"
            currency={currency}
            defaultAmount={p.validated_cost?.amount}
            hint={t('budgets.validatedCostHint')}
            error={errors.validated_cost}
          />
        ) : (
          <TextArea label={t('budgets.reason')} name="reason" rows={3} required defaultValue={p.review_reason ?? ''} hint={t('budgets.reasonHint')} error={errors.reason} />
        )}
        <ErrorMessage error={error} />
        {saved && <p role="status">{t('budgets.reviewSaved')}</p>}
        <button type="submit" disabled={review.isPending}>
          {t('budgets.saveReview')}
        </button>
      </form>
    </section>
  );
}
