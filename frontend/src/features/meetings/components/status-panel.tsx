import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorMessage, TextArea } from '../../../components/ui';
import type { Schemas } from '../../../lib/api-client';
import { fieldErrors } from '../../../lib/errors';
import { useTransitionMeeting } from '../api';

interface Props {
  slug: string;
  meeting: Schemas['MeetingResponse'];
  /** Whether the meeting had started when the page was loaded. */
  started: boolean;
}

/** Cancelling a meeting (with a reason registrants are told) or marking it held. */
export function StatusPanel({ slug, meeting: m, started }: Props) {
  const { t } = useTranslation();
  const [reason, setReason] = useState('');
  // A missing reason, caught before sending.
  const [reasonMissing, setReasonMissing] = useState(false);
  const moving = useTransitionMeeting();
  const error = moving.error;
  const busy = moving.isPending;
  const reasonError = reasonMissing ? t('meetingStaff.errors.reasonRequired') : fieldErrors(error).reason;

  const transition = (body: Schemas['TransitionRequest']) => moving.mutate({ params: { path: { org: slug, id: m.id } }, body });
  const cancel = (e: FormEvent) => {
    e.preventDefault();
    setReasonMissing(!reason.trim());
    if (!reason.trim()) return moving.reset();
    transition({ to: 'cancelled', reason: reason.trim() });
  };

  return (
    <section aria-labelledby="status-heading" className="panel">
      <h2 id="status-heading">{t('meetingStaff.status')}</h2>
      <p>
        <span className={`badge status-${m.status}`}>{t(`meetings.status_${m.status}`)}</span>
      </p>
      {m.status === 'cancelled' && m.cancel_reason && <p className="notice">{t('meetings.cancelledBecause', { reason: m.cancel_reason })}</p>}
      {m.status === 'scheduled' && (
        <>
          <p>
            <button type="button" disabled={busy || !started} onClick={() => transition({ to: 'held' })} aria-describedby={started ? undefined : 'held-hint'}>
              {t('meetingStaff.markHeld')}
            </button>
          </p>
          {!started && (
            <p id="held-hint" className="hint">
              {t('meetingStaff.heldAfterStart')}
            </p>
          )}
          <form onSubmit={cancel} noValidate>
            <TextArea
              label={t('meetingStaff.cancelReason')}
              hint={t('meetingStaff.cancelReasonHint')}
              value={reason}
              onChange={(e) => setReason(e.target.value)}
              required
              maxLength={2000}
              rows={3}
              error={reasonError}
            />
            <button type="submit" className="danger" disabled={busy}>
              {t('meetingStaff.cancelMeeting')}
            </button>
          </form>
        </>
      )}
      <ErrorMessage error={error} />
    </section>
  );
}
