import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorMessage, Field, Select } from '../../../components/ui';
import { api, type Schemas } from '../../../lib/api-client';
import { serverFieldErrors } from '../utils/meeting-form';
import { ATTACHMENT_KINDS, minutesBody, minutesFormFrom, newAttachmentRow, validateMinutesForm, type AttachmentRow } from '../utils/minutes-form';
import { LocalizedFields } from './localized-fields';

interface Props {
  slug: string;
  org: Schemas['OrgResponse'];
  meeting: Schemas['MeetingResponse'];
  /** Whether the meeting had started when the page was loaded. */
  started: boolean;
  onChange: () => void;
}

/** After the meeting: minutes in each language, attendance and attachments (by link). */
export function MinutesPanel({ slug, org, meeting: m, started, onChange }: Props) {
  const { t } = useTranslation();
  const [f, setF] = useState(() => minutesFormFrom(m));
  const [clientErrors, setClientErrors] = useState<Record<string, string>>({});
  const [error, setError] = useState<unknown>();
  const [saved, setSaved] = useState(false);
  const [busy, setBusy] = useState(false);
  const errors = { ...serverFieldErrors(error), ...clientErrors };
  const setRow = (i: number, row: Partial<AttachmentRow>) => setF({ ...f, attachments: f.attachments.map((a, j) => (j === i ? { ...a, ...row } : a)) });

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setSaved(false);
    const found = validateMinutesForm(f, org, t);
    setClientErrors(found);
    if (Object.keys(found).length > 0) {
      setError({ status: 422, code: 'validation-failed' });
      return;
    }
    setBusy(true);
    const { error } = await api.PUT('/api/v1/orgs/{org}/meetings/{id}/minutes', { params: { path: { org: slug, id: m.id } }, body: minutesBody(f, org) });
    setBusy(false);
    setError(error);
    setSaved(!error);
    if (!error) onChange();
  };

  return (
    <section aria-labelledby="minutes-heading" className="panel">
      <h2 id="minutes-heading">{t('meetingStaff.minutesTitle')}</h2>
      {m.status === 'cancelled' ? (
        <p>{t('meetingStaff.minutesCancelled')}</p>
      ) : !started ? (
        <p>{t('meetingStaff.minutesAfterStart')}</p>
      ) : (
        <form onSubmit={(e) => void submit(e)} noValidate className="staff-form">
          <LocalizedFields
            label={t('meetings.minutes')}
            path="minutes"
            value={f.minutes}
            onChange={(v) => setF({ ...f, minutes: v })}
            locales={org.locales}
            defaultLocale={org.default_locale}
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
          <button type="submit" disabled={busy}>
            {t('meetingStaff.publishMinutes')}
          </button>
        </form>
      )}
    </section>
  );
}
