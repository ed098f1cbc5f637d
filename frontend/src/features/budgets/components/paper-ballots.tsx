// Staff enter the ballots collected on paper while the vote runs: typed or pasted as CSV, or read
// from a CSV file, by the codes printed on the paper. The server checks each like an online ballot
// and stores all or none; its row errors (`line n`) are listed as it gives them.
import { useState, type ChangeEvent, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorMessage, Localized } from '../../../components/ui';
import { isProblem } from '../../../lib/errors';
import { useEnterPaperBallots, useProposals } from '../api';
import type { Budget } from '../lib/budgets';

/** The CSV header the process needs: a `district` column only when it has districts. */
export function paperCsvHeader(budget: Pick<Budget, 'districts'>): string {
  return budget.districts.length > 0 ? 'district,choices' : 'choices';
}

/** The rows' problems as the server named them (`line 3: no proposal has the code …`). */
export function rowErrors(error: unknown): string[] {
  if (!isProblem(error) || !Array.isArray(error.errors)) return [];
  return error.errors.map((e) => `${e.field}: ${e.message}`);
}

export function PaperBallots({ slug, budget: b, fallback }: { slug: string; budget: Budget; fallback?: string }) {
  const { t } = useTranslation();
  const entering = useEnterPaperBallots(slug, b.id);
  const onBallot = useProposals(slug, b.id, { on_ballot: true });
  const header = paperCsvHeader(b);
  const [csv, setCsv] = useState(`${header}\n`);
  const [entered, setEntered] = useState<number>();

  const pick = async (e: ChangeEvent<HTMLInputElement>) => {
    const file = e.currentTarget.files?.[0];
    if (file) setCsv(await file.text());
  };
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setEntered(undefined);
    entering.mutate(csv, {
      onSuccess: (r) => {
        setEntered(r.entered);
        setCsv(`${header}\n`);
      },
    });
  };
  const rows = rowErrors(entering.error);
  const points = b.ballot_rule.kind === 'cumulative';
  return (
    <section aria-labelledby="paper-ballots" className="panel">
      <h2 id="paper-ballots">{t('budgets.paper.title')}</h2>
      <p className="hint">{t('budgets.paper.hint')}</p>
      <p className="hint">{points ? t('budgets.paper.pointsHint') : b.ballot_rule.kind === 'ranking' ? t('budgets.paper.rankingHint') : t('budgets.paper.choicesHint')}</p>
      {b.districts.length > 0 && (
        <p className="hint">{t('budgets.paper.districtHint', { keys: b.districts.map((d) => d.key).join(', ') })}</p>
      )}
      {(onBallot.data?.items.length ?? 0) > 0 && (
        <div className="table-wrap">
          <table>
            <caption>{t('budgets.paper.codes')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('budgets.paper.code')}</th>
                <th scope="col">{t('budgets.paper.project')}</th>
              </tr>
            </thead>
            <tbody>
              {onBallot.data?.items.map((p) => (
                <tr key={p.id}>
                  <th scope="row">
                    <code>{p.code}</code>
                  </th>
                  <td>
                    <Localized text={p.title} fallback={fallback} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <form onSubmit={submit} noValidate className="stacked-form">
        <div className="field">
          <label htmlFor="paper-file">{t('budgets.paper.file')}</label>
          <input id="paper-file" type="file" accept=".csv,text/csv,text/plain" onChange={(e) => void pick(e)} />
        </div>
        <div className="field">
          <label htmlFor="paper-csv">{t('budgets.paper.csv')}</label>
          <textarea id="paper-csv" rows={8} value={csv} onChange={(e) => setCsv(e.target.value)} spellCheck={false} aria-describedby={rows.length > 0 ? 'paper-errors' : undefined} />
        </div>
        {rows.length > 0 ? (
          <div role="alert" id="paper-errors" className="error">
            <p>{t('budgets.paper.refused')}</p>
            <ul>
              {rows.map((r) => (
                <li key={r}>{r}</li>
              ))}
            </ul>
          </div>
        ) : (
          <ErrorMessage error={entering.error} />
        )}
        {entered !== undefined && <p role="status">{t('budgets.paper.entered', { n: entered })}</p>}
        <button type="submit" disabled={entering.isPending}>
          {t('budgets.paper.submit')}
        </button>
      </form>
    </section>
  );
}
