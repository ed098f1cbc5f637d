import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorMessage, Field, Select } from '../../../components/ui';
import { MultilingualInput } from '../../../components/forms';
import type { Schemas } from '../../../lib/api-client';
import { errorsByPath } from '../../../lib/errors';
import { orgLocales } from '../../../lib/forms';
import { useSaveMinutes } from '../api';
import { ATTACHMENT_KINDS, minutesBody, minutesFormFrom, newAttachmentRow, validateMinutesForm, type AttachmentRow } from '../utils/minutes-form';

interface Props {
  slug: string;
  org: Schemas['OrgResponse'];
  meeting: Schemas['MeetingResponse'];
  /** Whether the meeting had started when the page was loaded. */
  started: boolean;
}

/** After the meeting: minutes in each language, attendance and attachments (by link). */
export function MinutesPanel({ slug, org, meeting: m, started }: Props) {
  const { t } = useTranslation();
  const [f, setF] = useState(() => minutesFormFrom(m));
  // What the form's own checks found before sending.
  const [clientErrors, setClientErrors] = useState<Record<string, string>>({});
  const saving = useSaveMinutes();
  const invalid = Object.keys(clientErrors).length > 0 ? { status: 422, code: 'validation-failed' } : undefined;
  const error = invalid ?? saving.error;
  const saved = saving.isSuccess;
  const errors = { ...errorsByPath(error), ...clientErrors };
  const setRow = (i: number, row: Partial<AttachmentRow>) => setF({ ...f, attachments: f.attachments.map((a, j) => (j === i ? { ...a, ...row } : a)) });

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const found = validateMinutesForm(f, org, t);
    setClientErrors(found);
    if (Object.keys(found).length > 0) return saving.reset();
    saving.mutate({ params: { path: { org: slug, id: m.id } }, body: minutesBody(f, org) });
  };

  return (
    <section aria-labelledby="minutes-heading" className="panel">
      <h2 id="minutes-heading">{t('meetingStaff.minutesTitle')}</h2>
      {m.status === 'cancelled' ? (
        <p>{t('meetingStaff.minutesCancelled')}</p>
      ) : !started ? (
        <p>{t('meetingStaff.minutesAfterStart')}</p>
      ) : (
        <form onSubmit={submit} noValidate className="staff-form">
          <MultilingualInput
            label={t('meetings.minutes')}
            name="minutes"
            value={f.minutes}
            onChange={(v) => setF({ ...f, minutes: v })}
            locales={orgLocales(org)}
            errors={errors}
            required
            multiline
            rows={8}
            hint={t('meetingStaff.minutesHint')}
          />
          <Field
            label={t('meetingStaff.attendance')}
            type="number"
            inputMode="numeric"
            min={0}
            value={f.attendance}
            onChange={(e) => setF({ ...f, attendance: e.target.value })}
            error={errors.attendance}
          />
          <fieldset>
            <legend>{t('meetings.attachments')}</legend>
            <p className="hint">{t('meetingStaff.attachmentsHint')}</p>
            <ol className="agenda-rows">
              {f.attachments.map((a, i) => (
                <li key={a.key}>
                  <fieldset>
                    <legend>{t('meetingStaff.attachmentN', { n: i + 1 })}</legend>
                    <Field label={t('meetingStaff.attachmentTitle')} value={a.title} onChange={(e) => setRow(i, { title: e.target.value })} required maxLength={200} error={errors[`attachments[${i}].title`]} />
                    <Field label={t('meetingStaff.attachmentUrl')} type="url" inputMode="url" placeholder="https://" value={a.url} onChange={(e) => setRow(i, { url: e.target.value })} required maxLength={2000} error={errors[`attachments[${i}].url`]} />
                    <Select label={t('meetingStaff.attachmentKind')} value={a.kind} onChange={(e) => setRow(i, { kind: e.target.value })}>
                      {ATTACHMENT_KINDS.map((k) => (
                        <option key={k} value={k}>
                          {t(`meetingStaff.attachmentKind_${k}`)}
                        </option>
                      ))}
                    </Select>
                    <button type="button" className="secondary" onClick={() => setF({ ...f, attachments: f.attachments.filter((_, j) => j !== i) })}>
                      {t('meetingStaff.removeAttachment', { n: i + 1 })}
                    </button>
                  </fieldset>
                </li>
              ))}
            </ol>
            <button type="button" className="secondary" onClick={() => setF({ ...f, attachments: [...f.attachments, newAttachmentRow()] })}>
              {t('meetingStaff.addAttachment')}
            </button>
          </fieldset>
          <ErrorMessage error={error} />
          {saved && <p role="status">{t('meetingStaff.minutesSaved')}</p>}
          <button type="submit" disabled={saving.isPending}>
            {t('meetingStaff.publishMinutes')}
          </button>
        </form>
      )}
    </section>
  );
}
