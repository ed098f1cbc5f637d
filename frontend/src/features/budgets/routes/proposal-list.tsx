import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams, useSearchParams } from 'react-router-dom';
import { ErrorMessage, Field, Loading, Localized, Select } from '../../../components/ui';
import { useAuth } from '../../../lib/auth';
import type { Locale } from '../../../lib/language';
import { resolveText } from '../../../lib/language';
import { BudgetNav, ReviewBadge, useMoney } from '../components/parts';
import { costOf, REVIEWS, SORTS, type Review } from '../lib/budgets';
import { useBudget, useOrg, useProposals } from '../api';
import { CommentCount } from '../../../components/comments';

/** A process's proposals, filtered by district, category, review and ballot, sorted by cost or supports. */
export function ProposalList() {
  const { slug = '', id = '' } = useParams();
  const { t, i18n } = useTranslation();
  const { user } = useAuth();
  const [params, setParams] = useSearchParams();
  const org = useOrg(slug);
  const budget = useBudget(slug, id);
  const query = {
    district: params.get('district') || undefined,
    category: params.get('category') || undefined,
    review: (params.get('review') || undefined) as Review | undefined,
    on_ballot: params.get('on_ballot') === 'true' ? true : undefined,
    sort: params.get('sort') || undefined,
    q: params.get('q')?.trim() || undefined,
  };
  // The full-text filter follows typing after a pause.
  const typing = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  useEffect(() => () => clearTimeout(typing.current), []);
  const list = useProposals(slug, id, query);
  const money = useMoney(budget.data?.total.currency ?? 'EUR');
  if (budget.isPending) return <Loading />;
  if (!budget.data) return <ErrorMessage error={budget.error} />;
  const b = budget.data;
  const fallback = org.data?.default_locale;
  const lang = i18n.language as Locale;
  const nameOf = (items: { key: string; name: Record<string, string | null | undefined> }[], key: string | null | undefined) => {
    const item = items.find((x) => x.key === key);
    return item ? (resolveText(item.name, lang, fallback)?.text ?? item.key) : (key ?? '');
  };
  const set = (name: string, value: string) => {
    const next = new URLSearchParams(params);
    if (value) next.set(name, value);
    else next.delete(name);
    setParams(next, { replace: true });
  };
  return (
    <section>
      <p>
        <Link to={`/o/${slug}/budgets/${id}`}>{t('budgets.backToProcess')}</Link>
      </p>
      <h1>{t('budgets.proposalsOf', { title: resolveText(b.title, lang, fallback)?.text ?? '' })}</h1>
      <BudgetNav slug={slug} budget={b} />
      {b.phase === 'proposals' && user && (
        <p>
          <Link className="button-link" to={`/o/${slug}/budgets/${id}/proposals/new`}>
            {t('budgets.newProposal')}
          </Link>
        </p>
      )}
      <form className="filters" aria-label={t('budgets.filters')} onSubmit={(e) => e.preventDefault()}>
        <Field
          label={t('budgets.searchProposals')}
          type="search"
          maxLength={200}
          defaultValue={params.get('q') ?? ''}
          onChange={(e) => {
            const value = e.target.value;
            clearTimeout(typing.current);
            typing.current = setTimeout(() => set('q', value.trim()), 250);
          }}
        />
        {b.districts.length > 0 && (
          <Select label={t('budgets.district')} value={query.district ?? ''} onChange={(e) => set('district', e.target.value)}>
            <option value="">{t('budgets.all')}</option>
            {b.districts.map((d) => (
              <option key={d.key} value={d.key}>
                {nameOf(b.districts, d.key)}
              </option>
            ))}
          </Select>
        )}
        {b.categories.length > 0 && (
          <Select label={t('budgets.category')} value={query.category ?? ''} onChange={(e) => set('category', e.target.value)}>
            <option value="">{t('budgets.all')}</option>
            {b.categories.map((c) => (
              <option key={c.key} value={c.key}>
                {nameOf(b.categories, c.key)}
              </option>
            ))}
          </Select>
        )}
        <Select label={t('budgets.reviewFilter')} value={query.review ?? ''} onChange={(e) => set('review', e.target.value)}>
          <option value="">{t('budgets.all')}</option>
          {REVIEWS.map((r) => (
            <option key={r} value={r}>
              {t(`budgets.review_${r}`)}
            </option>
          ))}
        </Select>
        <Select label={t('budgets.onBallotFilter')} value={query.on_ballot ? 'true' : ''} onChange={(e) => set('on_ballot', e.target.value)}>
          <option value="">{t('budgets.all')}</option>
          <option value="true">{t('budgets.onlyOnBallot')}</option>
        </Select>
        <Select label={t('budgets.sortBy')} value={query.sort ?? 'created_at'} onChange={(e) => set('sort', e.target.value === 'created_at' ? '' : e.target.value)}>
          {SORTS.map((s) => (
            <option key={s} value={s}>
              {t(`budgets.sort_${s.replace('-', 'desc_')}`)}
            </option>
          ))}
        </Select>
      </form>
      {list.isFetching && <Loading />}
      <ErrorMessage error={list.error} />
      {list.data && (
        <>
          <p role="status">{t('budgets.proposalCount', { n: list.data.total })}</p>
          {list.data.items.length > 0 && (
            <ul className="cards">
              {list.data.items.map((p) => (
                <li key={p.id} className="card">
                  <h2>
                    <Link to={`/o/${slug}/budgets/${id}/proposals/${p.id}`}>
                      <Localized text={p.title} fallback={fallback} />
                    </Link>
                  </h2>
                  <p>
                    {t('budgets.costIs', { cost: money(costOf(p)) })} · {t('budgets.supportsCount', { n: p.supports })} · <CommentCount n={p.comment_count} />
                    <br />
                    {p.district && <>{t('budgets.district')}: {nameOf(b.districts, p.district)} · </>}
                    {p.category && <>{t('budgets.category')}: {nameOf(b.categories, p.category)} · </>}
                    <ReviewBadge review={p.review} />
                    {p.on_ballot && <> · <span className="badge review-feasible">{t('budgets.onBallot')}</span></>}
                  </p>
                  {p.location && <p>{t('budgets.locationIs', { location: p.location })}</p>}
                </li>
              ))}
            </ul>
          )}
        </>
      )}
    </section>
  );
}
