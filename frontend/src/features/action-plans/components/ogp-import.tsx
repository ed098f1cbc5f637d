import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorMessage, Field } from '../../../components/ui';
import type { Schemas } from '../../../lib/api-client';
import { isProblem } from '../../../lib/errors';
import { useOgpImport } from '../api';

/** `rows[3].title` → row 3, column `title`; anything else as it is. */
export function cellOf(field: string): { row: number; column: string } | null {
  const m = /^rows\[(\d+)\]\.?(.*)$/.exec(field);
  return m ? { row: Number(m[1]), column: m[2] ?? '' } : null;
}

/** Staff import commitments and milestones from a spreadsheet in OGP's format: check first, then confirm. */
export function OgpImport({ slug, planId }: { slug: string; planId: string }) {
  const { t } = useTranslation();
  const [file, setFile] = useState<File | null>(null);
  const [checked, setChecked] = useState<Schemas['OgpImportDto'] | null>(null);
  const run = useOgpImport(slug, planId);
  const send = (dryRun: boolean) => (e?: FormEvent) => {
    e?.preventDefault();
    if (!file) return;
    run.mutate({ file, dryRun }, { onSuccess: (r) => setChecked(r) });
  };
  const problem = run.error;
  const cellErrors = isProblem(problem) ? (problem.errors ?? []) : [];
  return (
    <section aria-labelledby="ogp-import">
      <h3 id="ogp-import">{t('plans.ogpImport')}</h3>
      <p className="hint">{t('plans.ogpImportHint')}</p>
      <form onSubmit={send(true)} aria-labelledby="ogp-import">
        <Field
          label={t('plans.ogpImportFile')}
          type="file"
          accept=".csv,text/csv"
          required
          onChange={(e) => {
            setFile(e.target.files?.[0] ?? null);
            setChecked(null);
            run.reset();
          }}
        />
        <button type="submit" disabled={!file || run.isPending}>
          {t('plans.ogpImportCheck')}
        </button>
      </form>
      {problem && (
        <div role="alert">
          <ErrorMessage error={problem} />
          {cellErrors.length > 0 && (
            <table>
              <caption>{t('plans.ogpImportErrors')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('plans.ogpImportRow')}</th>
                  <th scope="col">{t('plans.ogpImportColumn')}</th>
                  <th scope="col">{t('plans.ogpImportProblem')}</th>
                </tr>
              </thead>
              <tbody>
                {cellErrors.map((c, i) => {
                  const cell = cellOf(c.field);
                  return (
                    <tr key={i}>
                      <td>{cell ? cell.row : ''}</td>
                      <td>
                        <code>{cell ? cell.column : c.field}</code>
                      </td>
                      <td>{c.message}</td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          )}
        </div>
      )}
      {checked && (
        <div role="status">
          <p>{checked.dry_run ? t('plans.ogpImportChecked', { count: checked.commitments.length }) : t('plans.ogpImportDone', { count: checked.commitments.length })}</p>
          <ul>
            {checked.commitments.map((c) => (
              <li key={c.commitment_ref}>
                {c.commitment_ref}: {c.title} ({t('plans.ogpImportMilestones', { count: c.milestones })})
              </li>
            ))}
          </ul>
          {checked.dry_run && checked.commitments.length > 0 && (
            <button type="button" onClick={() => send(false)()} disabled={run.isPending}>
              {t('plans.ogpImportConfirm')}
            </button>
          )}
        </div>
      )}
    </section>
  );
}
