import { Fragment } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useLocation, useParams } from 'react-router-dom';
import { ErrorMessage, Loading, Localized } from '../../../components/ui';
import type { Schemas } from '../../../lib/api-client';
import { useAuth } from '../../../lib/auth';
import type { Locale } from '../../../lib/language';
import { canCreate } from '../../../lib/permissions';
import { exportUrl, formatAmount, share, useBudgetChanges, useBudgetYear, useCommitment, type Totals } from '../api';
import { ExecutionChart } from '../components/execution-chart';

type Line = Schemas['BudgetLineDto'];

/** One year: totals, the chart of execution, the programme tree, the changes, the exports. */
export function YearPage() {
  const { slug = '', year: yearParam = '' } = useParams();
  const year = Number(yearParam);
  const { t, i18n } = useTranslation();
  const lang = i18n.language as Locale;
  const data = useBudgetYear(slug, year);
  const { user } = useAuth();
  const staff = canCreate(user, slug);
  const done = useLocation().state as { saved?: string; removed?: string } | null;
  if (data.isPending) return <Loading />;
  if (!data.data) return <ErrorMessage error={data.error} />;
  const b = data.data;
  const money = (n: number) => formatAmount(n, b.currency, lang);
  const label = (i: number) => t(b.periods === 'quarter' ? 'budgetExecution.quarter' : 'budgetExecution.month', { n: i + 1 });
  const cells = (x: Totals) => (
    <>
      <td className="num">{money(x.planned)}</td>
      <td className="num">{money(x.current)}</td>
      {x.executed.map((e, i) => (
        <td className="num" key={i}>
          {e == null ? '–' : money(e)}
        </td>
      ))}
      <td className="num">{money(x.executed_total)}</td>
      <td className="num">{share(x.executed_total, x.current) == null ? '–' : `${share(x.executed_total, x.current)} %`}</td>
    </>
  );
  return (
    <section>
      <p>
        <Link to={`/o/${slug}/budget-execution`}>{t('common.back')}</Link>
      </p>
      <h1>{t('budgetExecution.yearTitle', { year: b.year })}</h1>
      <p className="muted">{t('budgetExecution.revision', { n: b.revision })}</p>
      {done?.saved && <p role="status">{t('budgetLines.saved', { code: done.saved })}</p>}
      {done?.removed && <p role="status">{t('budgetLines.removed', { code: done.removed })}</p>}
      {staff && (
        <p>
          <Link className="button" to={`/o/${slug}/budget-execution/${year}/lines/new`}>
            {t('budgetLines.addLink')}
          </Link>
        </p>
      )}
      <dl className="budget-totals" aria-label={t('budgetExecution.totals')}>
        <div>
          <dt>{t('budgetExecution.planned')}</dt>
          <dd data-testid="total-planned">{money(b.totals.planned)}</dd>
        </div>
        <div>
          <dt>{t('budgetExecution.current')}</dt>
          <dd data-testid="total-current">{money(b.totals.current)}</dd>
        </div>
        <div>
          <dt>{t('budgetExecution.executed')}</dt>
          <dd data-testid="total-executed">{money(b.totals.executed_total)}</dd>
        </div>
      </dl>
      <p>
        {t('budgetExecution.export')}: <a href={exportUrl(slug, year, 'lines.csv')}>{t('budgetExecution.exportCsv')}</a> ·{' '}
        <a href={exportUrl(slug, year, 'json')}>{t('budgetExecution.exportJson')}</a> ·{' '}
        <a href={exportUrl(slug, year, 'changes.csv')}>{t('budgetExecution.exportChanges')}</a>
      </p>
      <h2>{t('budgetExecution.chartTitle')}</h2>
      <ExecutionChart totals={b.totals} periods={b.periods} currency={b.currency} lang={lang} />
      <h2 id="budget-tree">{t('budgetExecution.tree')}</h2>
      <div className="table-wrap" role="region" aria-labelledby="budget-tree" tabIndex={0}>
        <table className="budget-tree">
          <thead>
            <tr>
              <th scope="col">{t('budgetExecution.line')}</th>
              <th scope="col" className="num">
                {t('budgetExecution.planned')}
              </th>
              <th scope="col" className="num">
                {t('budgetExecution.current')}
              </th>
              {b.totals.executed.map((_, i) => (
                <th scope="col" className="num" key={i}>
                  {label(i)}
                </th>
              ))}
              <th scope="col" className="num">
                {t('budgetExecution.executed')}
              </th>
              <th scope="col" className="num">
                {t('budgetExecution.share')}
              </th>
            </tr>
          </thead>
          <tbody>
            {b.programmes.map((p) => (
              <Fragment key={p.code}>
                <tr className="programme">
                  <th scope="row">
                    {p.code} <Localized text={p.name} />
                  </th>
                  {cells(p.totals)}
                </tr>
                {p.subprogrammes.map((s) => (
                  <Fragment key={s.code}>
                    <tr className="subprogramme">
                      <th scope="row">
                        {p.code}-{s.code} <Localized text={s.name} />
                      </th>
                      {cells(s.totals)}
                    </tr>
                    {s.lines.map((l) => (
                      <tr className="line" key={l.code}>
                        <th scope="row">
                          {l.economic_code} <Localized text={l.name} />
                          <LineLinks slug={slug} line={l} />
                          {staff && (
                            <>
                              {' '}
                              <Link to={`/o/${slug}/budget-execution/${year}/lines/${encodeURIComponent(l.code)}`} aria-label={t('budgetLines.editLink', { code: l.code })}>
                                {t('budgetLines.edit')}
                              </Link>
                            </>
                          )}
                        </th>
                        {cells({ planned: l.planned, current: l.current, executed: l.executed, executed_total: l.executed_total })}
                      </tr>
                    ))}
                  </Fragment>
                ))}
              </Fragment>
            ))}
            <tr className="programme">
              <th scope="row">{t('budgetExecution.total')}</th>
              {cells(b.totals)}
            </tr>
          </tbody>
        </table>
      </div>
      <Changes slug={slug} year={year} currency={b.currency} />
    </section>
  );
}

function LineLinks({ slug, line }: { slug: string; line: Line }) {
  const { t } = useTranslation();
  if (!line.commitment_id && !line.participatory_budget_id) return null;
  return (
    <span className="muted">
      {line.commitment_id && <CommitmentLink slug={slug} id={line.commitment_id} />}
      {line.participatory_budget_id && (
        <>
          {' '}
          · <Link to={`/o/${slug}/budgets/${line.participatory_budget_id}`}>{t('budgetExecution.participatoryBudget')}</Link>
        </>
      )}
    </span>
  );
}

function CommitmentLink({ slug, id }: { slug: string; id: string }) {
  const { t } = useTranslation();
  const c = useCommitment(slug, id);
  if (!c.data) return null;
  return (
    <>
      {' '}
      · {t('budgetExecution.funds')}{' '}
      <Link to={`/o/${slug}/action-plans/${c.data.action_plan_id}/commitments/${id}`}>
        <Localized text={c.data.title} />
      </Link>
    </>
  );
}

function Changes({ slug, year, currency }: { slug: string; year: number; currency: string }) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language as Locale;
  const changes = useBudgetChanges(slug, year);
  if (!changes.data || changes.data.from === 0) return null;
  const money = (n: number | null | undefined) => (n == null ? '–' : formatAmount(n, currency, lang));
  return (
    <section aria-labelledby="budget-changes">
      <h2 id="budget-changes">{t('budgetExecution.changes', { from: changes.data.from, to: changes.data.to })}</h2>
      {changes.data.items.length === 0 ? (
        <p>{t('budgetExecution.noChanges')}</p>
      ) : (
        <div className="table-wrap" role="region" aria-labelledby="budget-changes" tabIndex={0}>
          <table>
            <thead>
              <tr>
                <th scope="col">{t('budgetExecution.line')}</th>
                <th scope="col" className="num">
                  {t('budgetExecution.before')}
                </th>
                <th scope="col" className="num">
                  {t('budgetExecution.after')}
                </th>
                <th scope="col" className="num">
                  {t('budgetExecution.difference')}
                </th>
              </tr>
            </thead>
            <tbody>
              {changes.data.items.map((c) => (
                <tr key={c.code}>
                  <th scope="row">
                    {c.code} <Localized text={c.name} />
                  </th>
                  <td className="num">{money(c.before)}</td>
                  <td className="num">{money(c.after)}</td>
                  <td className="num">{money((c.after ?? 0) - (c.before ?? 0))}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
