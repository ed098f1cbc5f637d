// Pieces the budget screens share: money in the reader's language, the
// phase timeline, badges and the process's sub-navigation.
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { formatDate, formatMoney } from '../../../lib/format';
import type { Locale } from '../../../lib/language';
import { phaseTimeline, reached, spentPercent, type Budget, type Review, type Works } from '../lib/budgets';

/** Formats minor units of `currency` in the interface language. */
export function useMoney(currency: string) {
  const { i18n } = useTranslation();
  return (minor: number) => formatMoney(minor, currency, i18n.language as Locale);
}

/** All phases in order with their scheduled start; the current one is marked for everyone. */
export function PhaseTimeline({ budget }: { budget: Budget }) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language as Locale;
  return (
    <ol className="phase-timeline" aria-label={t('budgets.timeline')}>
      {phaseTimeline(budget).map((s) => (
        <li key={s.phase} className={`phase-step ${s.state}`} aria-current={s.state === 'current' ? 'step' : undefined}>
          {t(`budgets.phase_${s.phase}`)}
          {s.state === 'current' && <span className="visually-hidden"> ({t('budgets.currentPhase')})</span>}
          <span className="when">
            {s.starts ? (
              <>
                {t('budgets.startsOn')} <time dateTime={s.starts}>{formatDate(s.starts, lang, 'UTC')}</time>
              </>
            ) : (
              t('budgets.noDate')
            )}
          </span>
        </li>
      ))}
    </ol>
  );
}

export function ReviewBadge({ review }: { review: Review }) {
  const { t } = useTranslation();
  return <span className={`badge review-${review}`}>{t(`budgets.review_${review}`)}</span>;
}

export function WorksBadge({ works }: { works: Works }) {
  const { t } = useTranslation();
  return <span className={`badge works-${works}`}>{t(`budgets.works_${works}`)}</span>;
}

/** Links to the process's parts that exist in its current phase. */
export function BudgetNav({ slug, budget }: { slug: string; budget: Budget }) {
  const { t } = useTranslation();
  const base = `/o/${slug}/budgets/${budget.id}`;
  return (
    <nav aria-label={t('budgets.processNav')} className="subnav">
      <Link to={base}>{t('budgets.processPage')}</Link>
      <Link to={`${base}/proposals`}>{t('budgets.proposals')}</Link>
      {budget.phase === 'voting' && <Link to={`${base}/vote`}>{t('budgets.booth')}</Link>}
      {reached(budget.phase, 'results') && <Link to={`${base}/results`}>{t('budgets.results')}</Link>}
      {budget.phase === 'implementation' && <Link to={`${base}/implementation`}>{t('budgets.implementation')}</Link>}
    </nav>
  );
}

/** Money spent against the cost, as an accessible bar with the same in words. */
export function SpentBar({ spent, cost, label, money }: { spent: number; cost: number; label: string; money: (m: number) => string }) {
  const { t } = useTranslation();
  const percent = spentPercent(spent, cost);
  return (
    <div className="progress">
      <div role="progressbar" aria-label={label} aria-valuemin={0} aria-valuemax={100} aria-valuenow={percent} aria-valuetext={t('budgets.spentOf', { spent: money(spent), cost: money(cost) })} className="progress-track">
        <div className="progress-fill" style={{ width: `${percent}%` }} />
      </div>
      <p>{t('budgets.spentOfPercent', { spent: money(spent), cost: money(cost), percent })}</p>
    </div>
  );
}
