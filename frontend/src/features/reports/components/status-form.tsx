import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorMessage, Field, Select, TextArea } from '../../../components/ui';
import { fieldErrors } from '../../../lib/errors';
import { NEXT, useTransition, type ReportStatus } from '../api';

/** Staff answer a report and move it on: the answer is required and published in its history. */
export function StatusForm({ slug, id, status, onDone }: { slug: string; id: string; status: ReportStatus; onDone?: () => void }) {
  const { t } = useTranslation();
  const move = useTransition();
  const choices = NEXT[status];
  const [to, setTo] = useState<ReportStatus | ''>(choices[0] ?? '');
  if (choices.length === 0) return null;
  const errors = fieldErrors(move.error);
  const submit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const formEl = e.currentTarget;
    const form = new FormData(formEl);
    if (!to) return;
    const original = String(form.get('duplicate_of') ?? '').trim();
    move.mutate(
      {
        params: { path: { org: slug, id } },
        body: { status: to, answer: String(form.get('answer') ?? ''), duplicate_of: to === 'duplicate' && original ? original : null },
      },
      {
        onSuccess: () => {
          formEl.reset();
          onDone?.();
        },
      },
    );
  };
  return (
    <form onSubmit={submit} className="stack" aria-label={t('reports.changeStatus')}>
      <Select label={t('reports.newStatus')} value={to} onChange={(e) => setTo(e.target.value as ReportStatus)} error={errors.status}>
        {choices.map((s) => (
          <option key={s} value={s}>
            {t(`reports.status_${s}`)}
          </option>
        ))}
      </Select>
      {to === 'duplicate' && <Field label={t('reports.duplicateId')} name="duplicate_of" required error={errors.duplicate_of} />}
      <TextArea label={t('reports.answer')} name="answer" required rows={4} maxLength={5000} error={errors.answer} />
      {!errors.answer && !errors.duplicate_of && <ErrorMessage error={move.error} />}
      <button type="submit" disabled={move.isPending}>
        {t('reports.save')}
      </button>
    </form>
  );
}
