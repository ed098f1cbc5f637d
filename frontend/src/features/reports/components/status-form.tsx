import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorMessage, Field, Select, TextArea } from '../../../components/ui';
import { fieldErrors } from '../../../lib/errors';
import { NEXT, useAnswer, useTransition, type ReportStatus } from '../api';

/** Staff answer a report and move it on: the answer is required and published in its history. */
export function StatusForm({ slug, id, status, onDone }: { slug: string; id: string; status: ReportStatus; onDone?: () => void }) {
  const { t } = useTranslation();
  const move = useTransition();
  const answer = useAnswer();
  const choices = NEXT[status];
  // `keep`: an answer without a change of status (the only choice once a report is final).
  const [to, setTo] = useState<ReportStatus | 'keep'>(choices[0] ?? 'keep');
  const error = to === 'keep' ? answer.error : move.error;
  const errors = fieldErrors(error);
  const submit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const formEl = e.currentTarget;
    const form = new FormData(formEl);
    const done = {
      onSuccess: () => {
        formEl.reset();
        onDone?.();
      },
    };
    if (to === 'keep') {
      answer.mutate({ params: { path: { org: slug, id } }, body: { answer: String(form.get('answer') ?? '') } }, done);
      return;
    }
    const original = String(form.get('duplicate_of') ?? '').trim();
    move.mutate(
      {
        params: { path: { org: slug, id } },
        body: { status: to, answer: String(form.get('answer') ?? ''), duplicate_of: to === 'duplicate' && original ? original : null },
      },
      done,
    );
  };
  return (
    <form onSubmit={submit} className="stack" aria-label={t('reports.changeStatus')}>
      <Select label={t('reports.newStatus')} value={to} onChange={(e) => setTo(e.target.value as ReportStatus | 'keep')} error={errors.status}>
        <option value="keep">{t('reports.answerOnly')}</option>
        {choices.map((s) => (
          <option key={s} value={s}>
            {t(`reports.status_${s}`)}
          </option>
        ))}
      </Select>
      {to === 'duplicate' && <Field label={t('reports.duplicateId')} name="duplicate_of" required error={errors.duplicate_of} />}
      <TextArea label={t('reports.answer')} name="answer" required rows={4} maxLength={5000} error={errors.answer} />
      {!errors.answer && !errors.duplicate_of && <ErrorMessage error={error} />}
      <button type="submit" disabled={move.isPending || answer.isPending}>
        {t('reports.save')}
      </button>
    </form>
  );
}
