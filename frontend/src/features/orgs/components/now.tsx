// The home page's "what is happening now" sections for the participatory budget and the action
// plan. Each loads on its own and shows nothing while loading, on failure or when empty, so the
// rest of the home page never waits for or breaks on them.
import '../orgs.css';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { Localized } from '../../../components/ui';
import { formatNumber, formatMoney } from '../../../lib/format';
import type { Locale } from '../../../lib/language';
import { usePlanOverview, useRecentBudgets, useRecentPlans } from '../api';
import { levelSentence, levelShares, newestPublicPlan, runningBudgets, type Plan } from '../lib/home';

export function BudgetsNow({ slug, fallback }: { slug: string; fallback: string }) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language as Locale;
  const budgets = useRecentBudgets(slug);
  const running = runningBudgets(budgets.data?.items ?? []);
  if (running.length === 0) return null;
  return (
    <section aria-labelledby="budgets-now">
      <h2 id="budgets-now">{t('budgets.nav')}</h2>
      <ul className="list now-list">
        {running.map((b) => (
          <li key={b.id}>
            <Link to={`/o/${slug}/budgets/${b.id}`}>
              <Localized text={b.title} fallback={fallback} />
            </Link>
            <p className="now-meta">
              {t('orgs.budgetPhase', { phase: t(`budgets.phase_${b.phase}`) })} · {t('budgets.totalIs', { total: formatMoney(b.total.amount, b.total.currency, lang) })}
            </p>
            {b.phase === 'voting' && (
              <p className="now-highlight">
                <strong>{t('orgs.votingOpen')}</strong> <Link to={`/o/${slug}/budgets/${b.id}/vote`}>{t('budgets.goVote')}</Link>
              </p>
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}

export function PlanNow({ slug, fallback }: { slug: string; fallback: string }) {
  const { t } = useTranslation();
  const plans = useRecentPlans(slug);
  const plan = newestPublicPlan(plans.data?.items ?? []);
  if (!plan) return null;
  return (
    <section aria-labelledby="plan-now">
      <h2 id="plan-now">{t('orgs.planProgress')}</h2>
      <p>
        <Link to={`/o/${slug}/action-plans/${plan.id}`}>
          <Localized text={plan.title} fallback={fallback} />
        </Link>{' '}
        <span className="now-meta">({t(`plans.status_${plan.status}`)})</span>
      </p>
      <PlanOverview slug={slug} plan={plan} />
    </section>
  );
}

function PlanOverview({ slug, plan }: { slug: string; plan: Plan }) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language as Locale;
  const overview = usePlanOverview(slug, plan.id);
  const o = overview.data;
  if (!o) return null;
  const { total, shares } = levelShares(o.by_level);
  return (
    <>
      <p className="now-summary">{levelSentence(o.by_level, t)}</p>
      {total > 0 && (
        // The sentence above says the same in words, so the bar is hidden from screen readers.
        <div className="level-bar" aria-hidden="true">
          {shares.map((s) => (
            <span key={s.level} className={`level-bar-part level-${s.level}`} style={{ width: `${s.percent}%` }} title={`${t(`plans.level_${s.level}`)}: ${s.count}`} />
          ))}
        </div>
      )}
      {(o.overdue.length > 0 || o.due_next_30_days.length > 0) && (
        <ul className="now-meta">
          {o.overdue.length > 0 && <li>{t('orgs.milestonesOverdue', { n: formatNumber(o.overdue.length, lang) })}</li>}
          {o.due_next_30_days.length > 0 && <li>{t('orgs.milestonesDueSoon', { n: formatNumber(o.due_next_30_days.length, lang) })}</li>}
        </ul>
      )}
    </>
  );
}
