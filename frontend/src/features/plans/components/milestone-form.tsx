import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorMessage, Field, Select } from '../../../components/ui';
import { api } from '../../../lib/api-client';
import type { Locale } from '../../../lib/language';
import { errorsByPath, milestoneBody, MILESTONE_STATUSES, today, type Milestone } from '../lib/plans';
import { LocalizedInputs } from './parts';

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
  onDone: () => void;
  onCancel?: () => void;
}) {
  const { t } = useTranslation();
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const [status, setStatus] = useState(milestone?.status ?? 'not_started');
  const submit = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const formEl = e.currentTarget;
    const body = milestoneBody(new FormData(formEl), locales);
    setBusy(true);
    const header = { 'If-Match': etag };
    const r = milestone
      ? await api.PATCH('/api/v1/orgs/{org}/commitments/{id}/milestones/{milestone_id}', {
          params: { path: { org: slug, id: commitmentId, milestone_id: milestone.id }, header },
          body,
        })
      : await api.POST('/api/v1/orgs/{org}/commitments/{id}/milestones', { params: { path: { org: slug, id: commitmentId }, header }, body });
    setBusy(false);
    setError(r.error);
    if (!r.error) {
      if (!milestone) formEl.reset();
      setStatus('not_started');
      onDone();
    }
  };
  const errors = errorsByPath(error);
  return (
    <form onSubmit={(e) => void submit(e)} noValidate className="stacked-form">
      <LocalizedInputs name="title" label={t('plans.milestoneTitle')} locales={locales} value={milestone?.title} errors={errors} required />
      <LocalizedInputs name="deliverable" label={t('plans.deliverable')} locales={locales} value={milestone?.deliverable} errors={errors} />
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
        <button type="submit" disabled={busy}>
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
