import type { FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams, useSearchParams } from 'react-router-dom';
import { ErrorMessage, Field, Loading, Localized, Select } from '../../../components/ui';
import { useAuth } from '../../../lib/auth';
import { formatDate } from '../../../lib/format';
import { resolveText, type Locale } from '../../../lib/language';
import { canSeeStaffView } from '../../../lib/permissions';
import { KINDS, STATUSES, useCategories, useOrg, useReports, type ReportFilters, type ReportKind, type ReportStatus } from '../api';
import { StatusBadge, Written } from '../components/report-bits';

const SORTS = ['newest', 'supported', 'oldest'] as const;

/** The public list of reports and proposals, with filters kept in the address. */
export default function ReportList() {
  const { slug = '' } = useParams();
  const { t, i18n } = useTranslation();
  const lang = i18n.language as Locale;
  const { user } = useAuth();
  const org = useOrg(slug);
  const [params, setParams] = useSearchParams();
  const day = (s: string | null) => (s ? `${s}T00:00:00Z` : undefined);
  const filters: ReportFilters = {
    category: params.get('category') || undefined,
    status: (params.get('status') || undefined) as ReportStatus | undefined,
    kind: (params.get('kind') || undefined) as ReportKind | undefined,
    from: day(params.get('from')),
    to: day(params.get('to')),
    sort: params.get('sort') || undefined,
  };
  const list = useReports(slug, filters);
  const categories = useCategories(slug);
  const names = new Map((categories.data?.items ?? []).map((c) => [c.id, c.name]));
  const zone = org.data?.time_zone;
  const submit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    const next = new URLSearchParams();
    for (const k of ['category', 'status', 'kind', 'from', 'to', 'sort']) {
      const v = String(form.get(k) ?? '');
      if (v) next.set(k, v);
    }
    setParams(next);
  };
  return (
    <section>
      <p>
        <Link to={`/o/${slug}`}>{t('common.back')}</Link>
      </p>
      <h1>{t('reports.title')}</h1>
      <p>{t('reports.intro')}</p>
      <p className="actions">
        {user ? <Link to={`/o/${slug}/reports/new`}>{t('reports.new')}</Link> : <Link to="/login">{t('reports.signIn')}</Link>} ·{' '}
        <Link to={`/o/${slug}/reports/stats`}>{t('reports.stats')}</Link>
        {canSeeStaffView(user, slug) && (
          <>
            {' '}
            · <Link to={`/o/${slug}/reports/queue`}>{t('reports.queue')}</Link>
          </>
        )}
      </p>
      <form onSubmit={submit} aria-label={t('reports.filters')} className="filters">
        <Select label={t('reports.category')} name="category" defaultValue={filters.category ?? ''}>
          <option value="">{t('reports.any')}</option>
          {categories.data?.items.map((c) => (
            <option key={c.id} value={c.id}>
              {resolveText(c.name, lang)?.text}
            </option>
          ))}
        </Select>
        <Select label={t('reports.status')} name="status" defaultValue={filters.status ?? ''}>
          <option value="">{t('reports.any')}</option>
          {STATUSES.map((s) => (
            <option key={s} value={s}>
              {t(`reports.status_${s}`)}
            </option>
          ))}
        </Select>
        <Select label={t('reports.kind')} name="kind" defaultValue={filters.kind ?? ''}>
          <option value="">{t('reports.any')}</option>
          {KINDS.map((k) => (
            <option key={k} value={k}>
              {t(`reports.kind_${k}`)}
            </option>
          ))}
        </Select>
        <Field label={t('reports.from')} name="from" type="date" defaultValue={params.get('from') ?? ''} />
        <Field label={t('reports.to')} name="to" type="date" defaultValue={params.get('to') ?? ''} />
        <Select label={t('reports.sort')} name="sort" defaultValue={filters.sort ?? 'newest'}>
          {SORTS.map((s) => (
            <option key={s} value={s}>
              {t(`reports.sort_${s}`)}
            </option>
          ))}
        </Select>
        <button type="submit">{t('reports.apply')}</button>
      </form>
      {list.isPending && <Loading />}
      <ErrorMessage error={list.error} />
      {list.data && list.data.items.length === 0 && <p>{t('reports.none')}</p>}
      <ul className="list">
        {list.data?.items.map((r) => (
          <li key={r.id}>
            <Link to={`/o/${slug}/reports/${r.id}`}>
              <Written text={r.title} locale={r.locale} />
            </Link>{' '}
            <StatusBadge status={r.status} />
            {r.overdue && <span className="badge status-overdue">{t('reports.overdue')}</span>}
            <br />
            {t(`reports.kind_${r.kind}`)} · <Localized text={names.get(r.category_id)} /> · {formatDate(r.created_at, lang, zone)} ·{' '}
            {t('reports.supportCount', { count: r.support_count })}
          </li>
        ))}
      </ul>
    </section>
  );
}
