import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router-dom';
import { Comments } from '../../../components/comments';
import { ErrorMessage, Loading, Localized } from '../../../components/ui';
import { useAuth } from '../../../lib/auth';
import { formatDate, formatDateTime } from '../../../lib/format';
import type { Locale } from '../../../lib/language';
import { canCreate } from '../../../lib/permissions';
import { useCategories, useOrg, useReport, useSupport, useWithdrawSupport } from '../api';
import { StatusBadge, Written } from '../components/report-bits';
import { StatusForm } from '../components/status-form';
import { FollowButton } from '../../../components/follow-button';
import { ReportFiles } from '../../../components/files';

/** A report with its place, supports, the public history of answers, and the staff's form. */
export default function ReportDetail() {
  const { slug = '', id = '' } = useParams();
  const { t, i18n } = useTranslation();
  const lang = i18n.language as Locale;
  const { user } = useAuth();
  const org = useOrg(slug);
  const report = useReport(slug, id);
  const categories = useCategories(slug);
  const support = useSupport();
  const withdraw = useWithdrawSupport();
  if (report.isPending) return <Loading />;
  if (!report.data) return <ErrorMessage error={report.error} />;
  const r = report.data;
  const zone = org.data?.time_zone;
  const category = categories.data?.items.find((c) => c.id === r.category_id);
  return (
    <article>
      <p>
        <Link to={`/o/${slug}/reports`}>{t('common.back')}</Link>
      </p>
      <Written as="h1" text={r.title} locale={r.locale} />
      <p>
        <FollowButton target="report" id={id} />
      </p>
      <p>
        <StatusBadge status={r.status} /> {r.overdue && <span className="badge status-overdue">{t('reports.overdue')}</span>} {t(`reports.kind_${r.kind}`)}
        {category && (
          <>
            {' '}
            · <Localized text={category.name} /> · {category.department}
          </>
        )}
      </p>
      <p>{t('reports.filedBy', { name: r.author_name ?? t('reports.resident'), date: formatDate(r.created_at, lang, zone) })}</p>
      <Written as="p" text={r.description} locale={r.locale} />
      <section aria-labelledby="report-place">
        <h2 id="report-place">{t('reports.place')}</h2>
        {r.address && <p>{r.address}</p>}
        {r.latitude != null && r.longitude != null && (
          <p>
            {t('reports.latitude')} {r.latitude}, {t('reports.longitude')} {r.longitude}
          </p>
        )}
      </section>
      <p>
        {t('reports.supportCount', { count: r.support_count })}{' '}
        {r.supported ? (
          <>
            <span>{t('reports.supported')}</span>{' '}
            <button type="button" disabled={withdraw.isPending} onClick={() => withdraw.mutate({ params: { path: { org: slug, id } } }, { onSuccess: () => void report.refetch() })}>
              {t('reports.withdrawSupport')}
            </button>
          </>
        ) : (
          user && (
            <button type="button" disabled={support.isPending} onClick={() => support.mutate({ params: { path: { org: slug, id } } }, { onSuccess: () => void report.refetch() })}>
              {t('reports.support')}
            </button>
          )
        )}
      </p>
      <ErrorMessage error={support.error ?? withdraw.error} />
      {r.duplicate_of && (
        <p>
          <Link to={`/o/${slug}/reports/${r.duplicate_of}`}>{t('reports.duplicateOf')}</Link>
        </p>
      )}
      <ReportFiles org={slug} id={id} canUpload={(r.mine && r.status === 'received') || canCreate(user, slug)} />
      <section aria-labelledby="report-history">
        <h2 id="report-history">{t('reports.history')}</h2>
        <ol className="list history">
          {r.history.map((e) => (
            <li key={e.id}>
              <StatusBadge status={e.to} /> <time dateTime={e.created_at}>{formatDateTime(e.created_at, lang, zone)}</time>
              {Object.keys(e.answer).length > 0 && <Localized as="p" text={e.answer} fallback={org.data?.default_locale} />}
            </li>
          ))}
        </ol>
      </section>
      {canCreate(user, slug) && (
        <section aria-labelledby="report-answer">
          <h2 id="report-answer">{t('reports.changeStatus')}</h2>
          <StatusForm slug={slug} id={id} status={r.status} onDone={() => void report.refetch()} />
        </section>
      )}
      <Comments slug={slug} kind="report" targetId={id} back={`/o/${slug}/reports/${id}`} />
    </article>
  );
}
