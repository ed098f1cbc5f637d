import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { MultilingualInput } from '../../../components/forms';
import { ErrorMessage, Field, Select } from '../../../components/ui';
import { errorsByPath } from '../../../lib/errors';
import type { Locale } from '../../../lib/language';
import { useAddMilestone, useUpdateMilestone } from '../api';
import { milestoneBody, MILESTONE_STATUSES, today, type Milestone } from '../lib/plans';

/**
 * Adds a milestone to a commitment or edits one. Both writes claim the commitment's ETag, since
 * a milestone changes the commitment's completion.
 */
export function MilestoneForm({
  slug,
  commitmentId,
  etag,
  locales,
  milestone,
  onDone,
  onCancel,
}: {
  slug: string;
  commitmentId: string;
  etag: string | undefined;
  locales: Locale[];
  milestone?: Milestone;
  onDone?: () => void;
  onCancel?: () => void;
}) {
  const { t } = useTranslation();
  const add = useAddMilestone();
  const update = useUpdateMilestone();
  const write = milestone ? update : add;
  const [status, setStatus] = useState(milestone?.status ?? 'not_started');
  const submit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const formEl = e.currentTarget;
    const body = milestoneBody(new FormData(formEl), locales);
    const header = { 'If-Match': etag };
    const saved = () => {
      if (!milestone) formEl.reset();
      setStatus('not_started');
      onDone?.();
    };
    if (milestone) update.mutate({ params: { path: { org: slug, id: commitmentId, milestone_id: milestone.id }, header }, body }, { onSuccess: saved });
    else add.mutate({ params: { path: { org: slug, id: commitmentId }, header }, body }, { onSuccess: saved });
  };
  const error = write.error;
  const errors = errorsByPath(error);
  return (
    <form onSubmit={submit} noValidate className="stacked-form">
      <MultilingualInput name="title" label={t('plans.milestoneTitle')} locales={locales} defaultValue={milestone?.title} errors={errors} required />
      <MultilingualInput name="deliverable" label={t('plans.deliverable')} locales={locales} defaultValue={milestone?.deliverable} errors={errors} />
      <div className="two-cols">
        <Field label={t('plans.startDate')} name="start_date" type="date" required defaultValue={milestone?.start_date} error={errors.start_date} />
        <Field label={t('plans.endDate')} name="end_date" type="date" required defaultValue={milestone?.end_date} error={errors.end_date} />
      </div>
      <div className="two-cols">
        <Select label={t('plans.milestoneStatus')} name="status" value={status} onChange={(e) => setStatus(e.target.value as Milestone['status'])} error={errors.status}>
          {MILESTONE_STATUSES.map((s) => (
            <option key={s} value={s}>
              {t(`plans.mstatus_${s}`)}
            </option>
          ))}
        </Select>
        {status === 'done' && (
          <Field label={t('plans.completedOn')} name="completed_on" type="date" defaultValue={milestone?.completed_on ?? today()} error={errors.completed_on} />
        )}
      </div>
      <ErrorMessage error={error} />
      <div className="actions">
        <button type="submit" disabled={write.isPending}>
          {milestone ? t('plans.saveMilestone') : t('plans.addMilestone')}
        </button>
        {onCancel && (
          <button type="button" className="secondary" onClick={onCancel}>
            {t('common.cancel')}
          </button>
        )}
      </div>
    </form>
  );
}
