import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import type { Locale } from '../../../lib/language';
import { cumulative, formatAmount, share, type Totals } from '../api';

/**
 * Execution over the year: a bar per period of the running total executed, against the amount in
 * force (the dashed line). The SVG is one image with a text alternative; the table under it holds
 * every figure it draws.
 */
export function ExecutionChart({ totals, periods, currency, lang }: { totals: Totals; periods: 'month' | 'quarter'; currency: string; lang: Locale }) {
  const { t } = useTranslation();
  const id = useId();
  const running = cumulative(totals.executed);
  const label = (i: number) => t(periods === 'quarter' ? 'budgetExecution.quarter' : 'budgetExecution.month', { n: i + 1 });
  const money = (n: number) => formatAmount(n, currency, lang);
  const top = Math.max(totals.current, ...running.map((r) => r ?? 0), 1);
  const [w, h, pad] = [640, 260, 40];
  const band = (w - pad * 2) / running.length;
  const y = (v: number) => h - pad - ((h - pad * 2) * v) / top;
  const last = running.filter((r) => r !== null).at(-1) ?? 0;
  const summary = t('budgetExecution.chartSummary', { executed: money(last), current: money(totals.current), share: share(last, totals.current) ?? 0 });
  return (
    <figure className="execution-chart">
      <svg viewBox={`0 0 ${w} ${h}`} role="img" aria-labelledby={`${id}-t ${id}-d`} width="100%">
        <title id={`${id}-t`}>{t('budgetExecution.chartTitle')}</title>
        <desc id={`${id}-d`}>{summary}</desc>
        <line x1={pad} x2={w - pad} y1={h - pad} y2={h - pad} className="axis" />
        <line x1={pad} x2={w - pad} y1={y(totals.current)} y2={y(totals.current)} className="target" strokeDasharray="6 4" />
        <text x={w - pad} y={y(totals.current) - 6} textAnchor="end" className="chart-label">
          {t('budgetExecution.current')}
        </text>
        {running.map((r, i) => (
          <g key={i}>
            {r !== null && <rect x={pad + i * band + band * 0.2} width={band * 0.6} y={y(r)} height={h - pad - y(r)} className="bar" />}
            <text x={pad + i * band + band / 2} y={h - pad + 18} textAnchor="middle" className="chart-label">
              {label(i)}
            </text>
          </g>
        ))}
      </svg>
      <figcaption>{summary}</figcaption>
      <div className="table-wrap" role="region" aria-label={t('budgetExecution.chartTable')} tabIndex={0}>
        <table>
          <caption>{t('budgetExecution.chartTable')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('budgetExecution.period')}</th>
              <th scope="col">{t('budgetExecution.executedInPeriod')}</th>
              <th scope="col">{t('budgetExecution.executedSoFar')}</th>
              <th scope="col">{t('budgetExecution.shareOfCurrent')}</th>
            </tr>
          </thead>
          <tbody>
            {totals.executed.map((e, i) => (
              <tr key={i}>
                <th scope="row">{label(i)}</th>
                <td className="num">{e == null ? t('budgetExecution.notReported') : money(e)}</td>
                <td className="num">{running[i] == null ? '–' : money(running[i] ?? 0)}</td>
                <td className="num">{running[i] == null ? '–' : `${share(running[i] ?? 0, totals.current) ?? 0} %`}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </figure>
  );
}
