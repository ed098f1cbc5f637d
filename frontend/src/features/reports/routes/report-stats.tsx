import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router-dom';
import { ErrorMessage, Loading, Localized } from '../../../components/ui';
import type { Schemas } from '../../../lib/api-client';
import { useReportStats } from '../api';

type Row = Schemas['ReportStatsRowDto'];

/** The figures a municipality reports: received, answered in time, median times. */
export default function ReportStats() {
  const { slug = '' } = useParams();
  const { t } = useTranslation();
  const stats = useReportStats(slug);
  if (stats.isPending) return <Loading />;
  if (!stats.data) return <ErrorMessage error={stats.error} />;
  const s = stats.data;
  const days = (secs: number | null | undefined) => (secs == null ? '–' : t('reports.days', { n: (secs / 86400).toFixed(1) }));
  const rows: Row[] = [...s.rows, ...s.categories, s.total];
  return (
    <section>
      <p>
        <Link to={`/o/${slug}/reports`}>{t('common.back')}</Link>
      </p>
      <h1>{t('reports.stats')}</h1>
      <p>{t('reports.statsIntro')}</p>
      <div className="table-wrap" role="region" aria-label={t('reports.stats')} tabIndex={0}>
        <table>
          <thead>
            <tr>
              <th scope="col">{t('reports.category')}</th>
              <th scope="col">{t('reports.month')}</th>
              <th scope="col">{t('reports.received')}</th>
              <th scope="col">{t('reports.answered')}</th>
              <th scope="col">{t('reports.inTime')}</th>
              <th scope="col">{t('reports.medianAnswer')}</th>
              <th scope="col">{t('reports.resolved')}</th>
              <th scope="col">{t('reports.medianResolve')}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r, i) => (
              <tr key={i}>
                <th scope="row">{r.category_name ? <Localized text={r.category_name} /> : t('reports.allCategories')}</th>
                <td>{r.month ?? t('reports.allMonths')}</td>
                <td>{r.received}</td>
                <td>{r.answered}</td>
                <td>{r.answered_in_time}</td>
                <td>{days(r.median_first_answer_seconds)}</td>
                <td>{r.resolved}</td>
                <td>{days(r.median_resolve_seconds)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
