import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams } from 'react-router-dom';
import { ErrorMessage, Field, Loading, Select } from '../../../components/ui';
import { useAuth } from '../../../lib/auth';
import { errorsByPath, isProblem } from '../../../lib/errors';
import type { Locale } from '../../../lib/language';
import { canCreate } from '../../../lib/permissions';
import { formatAmount, useBudgetYears, useCreateBudgetYear, useImportBudgetYear, type ImportResult } from '../api';

/** The published years, newest first; staff import a year from a file (checked first). */
export function YearList() {
  const { slug = '' } = useParams();
  const { t } = useTranslation();
  const { user } = useAuth();
  const years = useBudgetYears(slug);
  if (years.isPending) return <Loading />;
  if (!years.data) return <ErrorMessage error={years.error} />;
  return (
    <section>
      <h1>{t('budgetExecution.title')}</h1>
      <p>{t('budgetExecution.intro')}</p>
      {years.data.items.length === 0 ? (
        <p>{t('budgetExecution.none')}</p>
      ) : (
        <ul>
          {years.data.items.map((y) => (
            <li key={y.year}>
              <Link to={`/o/${slug}/budget-execution/${y.year}`}>{t('budgetExecution.yearLink', { year: y.year })}</Link>{' '}
              <span className="muted">{t('budgetExecution.revision', { n: y.revision })}</span>
            </li>
          ))}
        </ul>
      )}
      {canCreate(user, slug) && <NewYearForm slug={slug} />}
      {canCreate(user, slug) && <ImportForm slug={slug} />}
    </section>
  );
}

/** Staff start a year with no lines, to enter its lines by hand. */
function NewYearForm({ slug }: { slug: string }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const [year, setYear] = useState(String(new Date().getFullYear()));
  const [periods, setPeriods] = useState<'quarter' | 'month'>('quarter');
  const [note, setNote] = useState('');
  const create = useCreateBudgetYear();
  const errors = errorsByPath(create.error);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    create.mutate(
      { params: { path: { org: slug } }, body: { year: Number(year), periods, note: note.trim() || null } },
      { onSuccess: (y) => navigate(`/o/${slug}/budget-execution/${y.year}/lines/new`) },
    );
  };
  return (
    <section aria-labelledby="budget-new-year" className="panel">
      <h2 id="budget-new-year">{t('budgetLines.newYear')}</h2>
      <p>{t('budgetLines.newYearHint')}</p>
      <form onSubmit={submit} noValidate className="staff-form">
        <Field label={t('budgetExecution.year')} type="number" min={2000} max={2100} required value={year} onChange={(e) => setYear(e.target.value)} error={errors.year} />
        <Select label={t('budgetLines.periods')} value={periods} onChange={(e) => setPeriods(e.target.value as 'quarter' | 'month')}>
          <option value="quarter">{t('budgetLines.quarters')}</option>
          <option value="month">{t('budgetLines.months')}</option>
        </Select>
        <Field label={t('budgetExecution.note')} maxLength={500} value={note} onChange={(e) => setNote(e.target.value)} error={errors.note} />
        <ErrorMessage error={create.error} />
        <button type="submit" disabled={create.isPending}>
          {t('budgetLines.startYear')}
        </button>
      </form>
    </section>
  );
}

function ImportForm({ slug }: { slug: string }) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language as Locale;
  const [year, setYear] = useState(String(new Date().getFullYear()));
  const [file, setFile] = useState<File | null>(null);
  const [note, setNote] = useState('');
  const [checked, setChecked] = useState<ImportResult | null>(null);
  const run = useImportBudgetYear(slug);
  const send = (dryRun: boolean) => (e?: FormEvent) => {
    e?.preventDefault();
    if (!file) return;
    run.mutate({ year: Number(year), file, dryRun, note }, { onSuccess: (r) => setChecked(r) });
  };
  const problem = run.error;
  const cellErrors = isProblem(problem) ? (problem.errors ?? []) : [];
  return (
    <section aria-labelledby="budget-import" className="panel">
      <h2 id="budget-import">{t('budgetExecution.import')}</h2>
      <p>{t('budgetExecution.importHint')}</p>
      <form onSubmit={send(true)} aria-labelledby="budget-import">
        <Field label={t('budgetExecution.year')} type="number" min={2000} max={2100} required value={year} onChange={(e) => setYear(e.target.value)} />
        <Field
          label={t('budgetExecution.file')}
          type="file"
          accept=".csv,.xlsx,text/csv"
          required
          onChange={(e) => {
            setFile(e.target.files?.[0] ?? null);
            setChecked(null);
            run.reset();
          }}
        />
        <Field label={t('budgetExecution.note')} maxLength={500} value={note} onChange={(e) => setNote(e.target.value)} />
        <button type="submit" disabled={!file || run.isPending}>
          {t('budgetExecution.check')}
        </button>
      </form>
      {problem && (
        <div role="alert">
          <ErrorMessage error={problem} />
          {cellErrors.length > 0 && (
            <ul>
              {cellErrors.map((c, i) => (
                <li key={i}>{c.message}</li>
              ))}
            </ul>
          )}
        </div>
      )}
      {checked && (
        <div role="status">
          <p>
            {checked.dry_run
              ? t('budgetExecution.checked', { lines: checked.lines, changes: checked.changes.length })
              : t('budgetExecution.imported', { year: checked.year, revision: checked.revision })}
          </p>
          <p>
            {t('budgetExecution.checkedTotals', {
              planned: formatAmount(checked.totals.planned, checked.currency, lang),
              current: formatAmount(checked.totals.current, checked.currency, lang),
              executed: formatAmount(checked.totals.executed_total, checked.currency, lang),
            })}
          </p>
          {checked.dry_run ? (
            <button type="button" onClick={() => send(false)()} disabled={run.isPending}>
              {t('budgetExecution.publish', { year: checked.year })}
            </button>
          ) : (
            <Link to={`/o/${slug}/budget-execution/${checked.year}`}>{t('budgetExecution.yearLink', { year: checked.year })}</Link>
          )}
        </div>
      )}
    </section>
  );
}
