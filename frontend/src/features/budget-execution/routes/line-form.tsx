import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, Navigate, useNavigate, useParams } from 'react-router-dom';
import { MultilingualInput } from '../../../components/forms';
import { ErrorMessage, Field, Loading } from '../../../components/ui';
import { useAuth } from '../../../lib/auth';
import { errorsByPath, fieldProblem, problemCode, type Problem } from '../../../lib/errors';
import { orgLocales } from '../../../lib/forms';
import type { Locale } from '../../../lib/language';
import { canCreate } from '../../../lib/permissions';
import { amountInput, findLine, parseAmount, useBudgetYear, useDeleteBudgetLine, useOrg, usePutBudgetLine, type BudgetYear, type FoundLine } from '../api';

type Texts = Partial<Record<Locale, string>>;

function texts(t: Record<string, string | null | undefined> | null | undefined): Texts {
  return Object.fromEntries(Object.entries(t ?? {}).filter(([, v]) => !!v)) as Texts;
}

function only(t: Texts, locales: readonly Locale[]): Texts {
  return Object.fromEntries(locales.flatMap((l) => (t[l]?.trim() ? [[l, t[l]?.trim()]] : []))) as Texts;
}

/** Staff add a line to a year, or change or remove one, by hand (each save is a new revision). */
export function LineFormPage() {
  const { slug = '', year: yearParam = '', code } = useParams();
  const year = Number(yearParam);
  const { t } = useTranslation();
  const { user } = useAuth();
  const data = useBudgetYear(slug, year);
  const org = useOrg(slug);
  if (user === undefined || data.isPending || org.isPending) return <Loading />;
  if (user === null) return <Navigate to={`/login?next=/o/${slug}/budget-execution/${year}`} />;
  if (!canCreate(user, slug)) return <p role="alert">{t('admin.forbidden')}</p>;
  if (!data.data || !org.data) return <ErrorMessage error={data.error ?? org.error} />;
  const found = code ? findLine(data.data, code) : undefined;
  if (code && !found) return <ErrorMessage error={{ status: 404, code: 'not-found' }} />;
  return (
    <section className="narrow">
      <p>
        <Link to={`/o/${slug}/budget-execution/${year}`}>{t('common.back')}</Link>
      </p>
      <h1>{found ? t('budgetLines.editTitle', { code: found.line.code, year }) : t('budgetLines.newTitle', { year })}</h1>
      {/* A new version of the line (after a save elsewhere) starts the form again. */}
      <LineForm key={found?.line.etag ?? 'new'} slug={slug} year={data.data} found={found} locales={orgLocales(org.data)} />
    </section>
  );
}

function LineForm({ slug, year, found, locales }: { slug: string; year: BudgetYear; found?: FoundLine; locales: Locale[] }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const line = found?.line;
  const periods = year.periods === 'quarter' ? 4 : 12;
  const [code, setCode] = useState(line?.code ?? '');
  const [programmeCode, setProgrammeCode] = useState(line?.programme_code ?? '');
  const [programmeName, setProgrammeName] = useState<Texts>(texts(found?.programmeName));
  const [subCode, setSubCode] = useState(line?.subprogramme_code ?? '');
  const [subName, setSubName] = useState<Texts>(texts(found?.subprogrammeName));
  const [economicCode, setEconomicCode] = useState(line?.economic_code ?? '');
  const [name, setName] = useState<Texts>(texts(line?.name));
  const [planned, setPlanned] = useState(amountInput(line?.planned));
  const [amended, setAmended] = useState(amountInput(line?.amended));
  const [executed, setExecuted] = useState<string[]>(Array.from({ length: periods }, (_, i) => amountInput(line?.executed[i])));
  const [note, setNote] = useState('');
  const [confirmDelete, setConfirmDelete] = useState(false);
  const [local, setLocal] = useState<Problem | undefined>();
  const save = usePutBudgetLine(slug);
  const remove = useDeleteBudgetLine(slug);
  const problem = local ?? save.error ?? remove.error;
  const errors = errorsByPath(problem);
  const stale = problemCode(save.error ?? remove.error) === 'precondition-failed';
  const label = (i: number) => t(periods === 4 ? 'budgetExecution.quarter' : 'budgetExecution.month', { n: i + 1 });
  const back = `/o/${slug}/budget-execution/${year.year}`;

  const submit = (e: FormEvent) => {
    e.preventDefault();
    setLocal(undefined);
    const amounts = { planned: parseAmount(planned), amended: parseAmount(amended), executed: executed.map(parseAmount) };
    if (!code.trim()) return setLocal(fieldProblem('code', t('budgetLines.codeRequired')));
    if (amounts.planned === null || Number.isNaN(amounts.planned)) return setLocal(fieldProblem('planned', t('budgetLines.amountInvalid')));
    if (Number.isNaN(amounts.amended)) return setLocal(fieldProblem('amended', t('budgetLines.amountInvalid')));
    const bad = amounts.executed.findIndex((x) => Number.isNaN(x));
    if (bad >= 0) return setLocal(fieldProblem(`executed[${bad}]`, t('budgetLines.amountInvalid')));
    save.mutate(
      {
        year: year.year,
        code: code.trim(),
        etag: line?.etag,
        body: {
          programme_code: programmeCode.trim(),
          programme_name: only(programmeName, locales),
          subprogramme_code: subCode.trim(),
          subprogramme_name: only(subName, locales),
          economic_code: economicCode.trim(),
          name: only(name, locales),
          planned: amounts.planned,
          amended: amounts.amended,
          executed: amounts.executed,
          commitment_id: line?.commitment_id ?? null,
          participatory_budget_id: line?.participatory_budget_id ?? null,
          note: note.trim() || null,
        },
      },
      { onSuccess: () => navigate(back, { state: { saved: code.trim() } }) },
    );
  };

  const doDelete = () => {
    if (!line) return;
    remove.mutate({ year: year.year, code: line.code, etag: line.etag, note: note.trim() || undefined }, { onSuccess: () => navigate(back, { state: { removed: line.code } }) });
  };

  return (
    <form onSubmit={submit} noValidate className="staff-form">
      {!line && <Field label={t('budgetLines.code')} hint={t('budgetLines.codeHint')} required maxLength={40} value={code} onChange={(e) => setCode(e.target.value)} error={errors.code} />}
      <fieldset>
        <legend>{t('budgetLines.programme')}</legend>
        <Field label={t('budgetLines.programmeCode')} required maxLength={40} value={programmeCode} onChange={(e) => setProgrammeCode(e.target.value)} error={errors.programme_code} />
        <MultilingualInput label={t('budgetLines.programmeName')} name="programme_name" locales={locales} errors={errors} value={programmeName} onChange={setProgrammeName} required maxLength={300} />
      </fieldset>
      <fieldset>
        <legend>{t('budgetLines.subprogramme')}</legend>
        <Field label={t('budgetLines.subprogrammeCode')} required maxLength={40} value={subCode} onChange={(e) => setSubCode(e.target.value)} error={errors.subprogramme_code} />
        <MultilingualInput label={t('budgetLines.subprogrammeName')} name="subprogramme_name" locales={locales} errors={errors} value={subName} onChange={setSubName} required maxLength={300} />
      </fieldset>
      <fieldset>
        <legend>{t('budgetLines.line')}</legend>
        <Field label={t('budgetLines.economicCode')} required maxLength={40} value={economicCode} onChange={(e) => setEconomicCode(e.target.value)} error={errors.economic_code} />
        <MultilingualInput label={t('budgetLines.name')} name="name" locales={locales} errors={errors} value={name} onChange={setName} required maxLength={300} />
      </fieldset>
      <fieldset>
        <legend>{t('budgetLines.amounts', { currency: year.currency })}</legend>
        <p className="hint">{t('budgetLines.amountsHint')}</p>
        <Field label={t('budgetExecution.planned')} inputMode="decimal" required value={planned} onChange={(e) => setPlanned(e.target.value)} error={errors.planned} />
        <Field label={t('budgetLines.amended')} inputMode="decimal" value={amended} onChange={(e) => setAmended(e.target.value)} error={errors.amended} />
      </fieldset>
      <fieldset>
        <legend>{t('budgetLines.executed')}</legend>
        <div className="period-grid">
          {executed.map((v, i) => (
            <Field key={i} label={label(i)} inputMode="decimal" value={v} onChange={(e) => setExecuted(executed.map((x, j) => (j === i ? e.target.value : x)))} error={errors[`executed[${i}]`] ?? (i === 0 ? errors.executed : undefined)} />
          ))}
        </div>
      </fieldset>
      <Field label={t('budgetLines.note')} hint={t('budgetLines.noteHint')} maxLength={500} value={note} onChange={(e) => setNote(e.target.value)} error={errors.note} />
      <ErrorMessage error={problem} />
      {stale && (
        <p>
          <Link to={back} reloadDocument>
            {t('budgetLines.reload')}
          </Link>
        </p>
      )}
      <p className="actions">
        <button type="submit" disabled={save.isPending}>
          {line ? t('common.save') : t('budgetLines.add')}
        </button>
      </p>
      {line && (
        <section aria-labelledby="remove-line" className="panel">
          <h2 id="remove-line">{t('budgetLines.removeTitle')}</h2>
          {confirmDelete ? (
            <>
              <p role="alert">{t('budgetLines.removeConfirm', { code: line.code })}</p>
              <button type="button" onClick={doDelete} disabled={remove.isPending}>
                {t('budgetLines.removeYes', { code: line.code })}
              </button>{' '}
              <button type="button" className="secondary" onClick={() => setConfirmDelete(false)}>
                {t('common.cancel')}
              </button>
            </>
          ) : (
            <button type="button" className="secondary" onClick={() => setConfirmDelete(true)}>
              {t('budgetLines.remove', { code: line.code })}
            </button>
          )}
        </section>
      )}
    </form>
  );
}
