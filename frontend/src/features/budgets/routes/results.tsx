import { useTranslation } from 'react-i18next';
import { Link, useParams, useSearchParams } from 'react-router-dom';
import { ErrorMessage, Loading, Select } from '../../../components/ui';
import { formatNumber } from '../../../lib/format';
import { resolveText, type Locale } from '../../../lib/language';
import { BudgetNav, useMoney } from '../components/parts';
import { barPercent, cutOff, OUTCOME_RULES, reached, scoreBasis, scoreValue, type BallotRule, type CutOff, type OutcomeRule, type Results } from '../lib/budgets';
import { useBudget, useOrg, useResults } from '../api';

/** The winners under the process's rule (or another, to compare), and every project's votes. */
export function ResultsPage() {
  const { slug = '', id = '' } = useParams();
  const { t, i18n } = useTranslation();
  const lang = i18n.language as Locale;
  const [params, setParams] = useSearchParams();
  const org = useOrg(slug);
  const budget = useBudget(slug, id);
  const b = budget.data;
  // Comparing rules is for staff (the API refuses it to others): residents see the process's own.
  const asked = (OUTCOME_RULES as string[]).includes(params.get('rule') ?? '') ? (params.get('rule') as OutcomeRule) : undefined;
  const rule = b?.can.edit ? asked : undefined;
  const district = params.get('district') || (b?.districts[0]?.key ?? undefined);
  // Nobody sees a count while the vote runs (the server refuses it too).
  const results = useResults(slug, id, { rule, district }, !!b && b.phase !== 'voting');
  if (budget.isPending) return <Loading />;
  if (!b) return <ErrorMessage error={budget.error} />;
  const fallback = org.data?.default_locale;
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
      <h1>{t('budgets.resultsOf', { title: resolveText(b.title, lang, fallback)?.text ?? '' })}</h1>
      <BudgetNav slug={slug} budget={b} />
      {!reached(b.phase, 'results') && <p className="notice">{t('budgets.resultsNotYet')}</p>}
      {(b.can.edit || b.districts.length > 0) && (
        <form className="filters" aria-label={t('budgets.compareRules')} onSubmit={(e) => e.preventDefault()}>
          {b.can.edit && (
            <Select label={t('budgets.outcomeRule')} value={rule ?? b.outcome_rule} onChange={(e) => set('rule', e.target.value === b.outcome_rule ? '' : e.target.value)}>
              {OUTCOME_RULES.map((r) => (
                <option key={r} value={r}>
                  {t(`budgets.outcome_${r}`)}
                  {r === b.outcome_rule ? ` (${t('budgets.processRule')})` : ''}
                </option>
              ))}
            </Select>
          )}
          {b.districts.length > 0 && (
            <Select label={t('budgets.district')} value={district ?? ''} onChange={(e) => set('district', e.target.value)}>
              {b.districts.map((d) => (
                <option key={d.key} value={d.key}>
                  {resolveText(d.name, lang, fallback)?.text ?? d.key}
                </option>
              ))}
            </Select>
          )}
        </form>
      )}
      {results.isFetching && <Loading />}
      <ErrorMessage error={results.error} />
      {results.data && <ResultsView results={results.data} ballotRule={b.ballot_rule} fallback={fallback} slug={slug} budgetId={id} />}
    </section>
  );
}

function ResultsView({ results: r, ballotRule, fallback, slug, budgetId }: { results: Results; ballotRule: BallotRule; fallback?: string; slug: string; budgetId: string }) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language as Locale;
  const money = useMoney(r.currency);
  const title = (text: Results['projects'][number]['title'], code: string) => resolveText(text, lang, fallback)?.text ?? code;
  const basis = scoreBasis(ballotRule);
  const by = t(basis === 'votes' ? 'budgets.byVotes' : basis === 'points' ? 'budgets.byPoints' : 'budgets.byRankPoints');
  const cut = cutOff(r.rule, r.projects);
  const most = Math.max(0, ...r.projects.map((p) => scoreValue(p.score)));
  const at = cut.kind === 'skipped' || cut.kind === 'stopped' ? cut : undefined;
  const atProject = at ? r.projects[at.index] : undefined;
  return (
    <>
      <dl className="facts">
        <dt>{t('budgets.outcomeRule')}</dt>
        <dd>{t(`budgets.outcome_${r.rule}`)}</dd>
        <dt>{t('budgets.total')}</dt>
        <dd>{money(r.budget)}</dd>
        <dt>{t('budgets.spent')}</dt>
        <dd>{money(r.spent)}</dd>
        <dt>{t('budgets.moneyLeft')}</dt>
        <dd>{money(r.money_left)}</dd>
        <dt>{t('budgets.voters')}</dt>
        <dd>{formatNumber(r.voters, lang)}</dd>
      </dl>
      {r.min_score > 0 && <p>{t(basis === 'votes' ? 'budgets.minScoreVotes' : 'budgets.minScorePoints', { n: formatNumber(r.min_score, lang) })}</p>}
      <section aria-labelledby="results-winners">
        <h2 id="results-winners">{t('budgets.winners')}</h2>
        {r.winners.length === 0 ? (
          <p>{t('budgets.noWinners')}</p>
        ) : (
          <ol>
            {r.winners.map((w) => (
              <li key={w.proposal_id}>
                <Link to={`/o/${slug}/budgets/${budgetId}/proposals/${w.proposal_id}`}>{title(w.title, w.code)}</Link> – {money(w.cost)} – {t('budgets.votesCount', { n: formatNumber(w.votes, lang) })}
                {basis !== 'votes' && <> – {t('budgets.scorePoints', { n: formatNumber(scoreValue(w.score), lang) })}</>}
              </li>
            ))}
          </ol>
        )}
      </section>
      <section aria-labelledby="results-chart">
        <h2 id="results-chart">{t('budgets.votesChart')}</h2>
        <p>
          {cutSentence(cut, atProject ? { title: title(atProject.title, atProject.code), cost: money(atProject.cost) } : undefined, by, money, r.budget, t)}
          {at && at.below > 0 && <> {t('budgets.belowLineWinners', { n: at.below })}</>}
        </p>
        <ol className="votes-chart">
          {r.projects.map((p, i) => (
            <Row
              key={p.proposal_id}
              line={at?.index === i ? at.kind : undefined}
              p={p}
              showScore={basis !== 'votes'}
              label={title(p.title, p.code)}
              percent={barPercent(scoreValue(p.score), most)}
              money={money}
              lang={lang}
            />
          ))}
        </ol>
      </section>
    </>
  );
}

/** The sentence under the chart: what the rule did at its cut-off line, or why there is none. */
function cutSentence(
  cut: CutOff,
  at: { title: string; cost: string } | undefined,
  by: string,
  money: (m: number) => string,
  budget: number,
  t: (key: string, options?: Record<string, unknown>) => string,
): string {
  switch (cut.kind) {
    case 'none':
      return t('budgets.noLine', { by });
    case 'all-fit':
      return t('budgets.allFit');
    case 'skipped':
    case 'stopped':
      return t(cut.kind === 'skipped' ? 'budgets.lineSkipped' : 'budgets.lineStopped', {
        by,
        title: at?.title ?? '',
        cost: at?.cost ?? '',
        left: money(budget - cut.spent),
        total: money(budget),
      });
  }
}

function Row({ p, label, percent, money, lang, line, showScore }: { p: Results['projects'][number]; label: string; percent: number; money: (m: number) => string; lang: Locale; line?: 'skipped' | 'stopped'; showScore: boolean }) {
  const { t } = useTranslation();
  return (
    <li className={`votes-row${p.selected ? ' selected' : ''}`}>
      {line && (
        <p className="money-line" style={{ gridColumn: '1 / -1' }}>
          {t(line === 'skipped' ? 'budgets.lineHereSkipped' : 'budgets.lineHereStopped')}
        </p>
      )}
      <span>{label}</span>
      <span className="votes-track" aria-hidden="true">
        <span className="votes-bar" style={{ width: `${percent}%` }} />
      </span>
      <p className="votes-text">
        {t('budgets.votesCount', { n: formatNumber(p.votes, lang) })}
        {showScore && <> · {t('budgets.scorePoints', { n: formatNumber(scoreValue(p.score), lang) })}</>} · {money(p.cost)}
        {p.selected && <> · <strong>{t('budgets.selected')}</strong></>}
        {!p.eligible && <> · {t('budgets.notEligible')}</>}
      </p>
    </li>
  );
}
