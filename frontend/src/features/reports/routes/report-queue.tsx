import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router-dom';
import { ErrorMessage, Loading, Localized, Select } from '../../../components/ui';
import { formatDate } from '../../../lib/format';
import type { Locale } from '../../../lib/language';
import { useAuth } from '../../../lib/auth';
import { orgLocales } from '../../../lib/forms';
import { canCreate } from '../../../lib/permissions';
import { useCategories, useOrg, useReportQueue } from '../api';
import { CategoryForm } from '../components/category-form';
import { StatusBadge, Written } from '../components/report-bits';
import { StatusForm } from '../components/status-form';

/** The staff queue: open reports of a department, overdue first, each with its answer form. */
export default function ReportQueue() {
  const { slug = '' } = useParams();
  const { t, i18n } = useTranslation();
  const lang = i18n.language as Locale;
  const org = useOrg(slug);
  const [department, setDepartment] = useState('');
  const queue = useReportQueue(slug, department);
  const categories = useCategories(slug);
  const departments = [...new Set((categories.data?.items ?? []).map((c) => c.department))];
  const names = new Map((categories.data?.items ?? []).map((c) => [c.id, c.name]));
  const zone = org.data?.time_zone;
  const { user } = useAuth();
  const locales = org.data ? orgLocales(org.data) : [lang];
  return (
    <section>
      <p>
        <Link to={`/o/${slug}/reports`}>{t('common.back')}</Link>
      </p>
      <h1>{t('reports.queue')}</h1>
      <p>{t('reports.queueIntro')}</p>
      <Select label={t('reports.department')} value={department} onChange={(e) => setDepartment(e.target.value)}>
        <option value="">{t('reports.allDepartments')}</option>
        {departments.map((d) => (
          <option key={d} value={d}>
            {d}
          </option>
        ))}
      </Select>
      {queue.isPending && <Loading />}
      <ErrorMessage error={queue.error} />
      {queue.data && queue.data.items.length === 0 && <p>{t('common.none')}</p>}
      <ul className="list">
        {queue.data?.items.map((r) => (
          <li key={r.id}>
            <Link to={`/o/${slug}/reports/${r.id}`}>
              <Written text={r.title} locale={r.locale} />
            </Link>{' '}
            <StatusBadge status={r.status} /> {r.overdue && <span className="badge status-overdue">{t('reports.overdue')}</span>}
            <br />
            <Localized text={names.get(r.category_id)} /> · {formatDate(r.created_at, lang, zone)}
            {r.answer_due && <> · {t('reports.answerDue', { date: formatDate(r.answer_due, lang, zone) })}</>}
            <details>
              <summary>{t('reports.changeStatus')}</summary>
              <StatusForm slug={slug} id={r.id} status={r.status} />
            </details>
          </li>
        ))}
      </ul>
      {canCreate(user, slug) && (
        <section aria-labelledby="report-categories">
          <h2 id="report-categories">{t('reports.categories')}</h2>
          <ul className="list">
            {categories.data?.items.map((c) => (
              <li key={c.id}>
                <Localized text={c.name} /> · {c.department} · {t('reports.answerDaysShort', { n: c.answer_days })}
                <details>
                  <summary>{t('reports.editCategory')}</summary>
                  <CategoryForm slug={slug} locales={locales} category={c} />
                </details>
              </li>
            ))}
          </ul>
          <details>
            <summary>{t('reports.newCategory')}</summary>
            <CategoryForm slug={slug} locales={locales} />
          </details>
        </section>
      )}
    </section>
  );
}
