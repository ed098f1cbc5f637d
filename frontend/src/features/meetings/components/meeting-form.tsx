import { useTranslation } from 'react-i18next';
import { MultilingualInput, StaffFormFooter } from '../../../components/forms';
import { Field, Select } from '../../../components/ui';
import type { Schemas } from '../../../lib/api-client';
import { orgLocales } from '../../../lib/forms';
import { useStaffForm } from '../../../lib/staff-form';
import { LinksFieldset, type LinkTarget } from './meeting-links';
import { KINDS, newAgendaRow, validateMeetingForm, type AgendaRow, type LinkType, type MeetingFormState } from '../utils/meeting-form';

interface Props {
  org: Schemas['OrgResponse'];
  initial: MeetingFormState;
  submitLabel: string;
  /** Sends the form; resolves to the API's error, or nothing when it worked. */
  onSubmit: (form: MeetingFormState) => Promise<unknown>;
  /** Offered after a 412, to load the current version. */
  onReload?: () => void;
  /** What the meeting can be linked to, by kind (`useLinkTargets`); none while loading. */
  linkTargets?: Record<LinkType, LinkTarget[]>;
}

const NO_TARGETS: Record<LinkType, LinkTarget[]> = { action_plan: [], commitment: [], consultation: [], budget: [] };

/** Creating or editing a meeting: multilingual texts, venue, times in the org's zone, registration, agenda. */
export function MeetingForm({ org, initial, submitLabel, onSubmit, onReload, linkTargets = NO_TARGETS }: Props) {
  const { t } = useTranslation();
  const { f, set, errors, error, busy, stale, formRef, onSubmit: send } = useStaffForm(initial, (form: MeetingFormState) => validateMeetingForm(form, org, t), onSubmit);
  const setRow = (i: number, row: Partial<AgendaRow>) => set('agenda', f.agenda.map((a, j) => (j === i ? { ...a, ...row } : a)));
  const move = (i: number, by: number) => {
    const next = [...f.agenda];
    const [row] = next.splice(i, 1);
    if (row) next.splice(i + by, 0, row);
    set('agenda', next);
  };

  const localized = { locales: orgLocales(org), errors };
  const zoneHint = t('meetingStaff.timesIn', { zone: org.time_zone });
  return (
    <form ref={formRef} onSubmit={send} noValidate className="staff-form">
      <fieldset>
        <legend>{t('meetingStaff.about')}</legend>
        <MultilingualInput {...localized} label={t('meetingStaff.titleField')} name="title" value={f.title} onChange={(v) => set('title', v)} required maxLength={200} />
        <MultilingualInput {...localized} label={t('meetingStaff.description')} name="description" value={f.description} onChange={(v) => set('description', v)} multiline maxLength={10000} />
        <Field label={t('meetingStaff.organiser')} value={f.organiser} onChange={(e) => set('organiser', e.target.value)} required maxLength={200} error={errors.organiser} />
      </fieldset>

      <fieldset>
        <legend>{t('meetingStaff.where')}</legend>
        <Select label={t('meetingStaff.kind')} value={f.kind} onChange={(e) => set('kind', e.target.value as MeetingFormState['kind'])} error={errors.kind}>
          {KINDS.map((k) => (
            <option key={k} value={k}>
              {t(`meetings.kind_${k}`)}
            </option>
          ))}
        </Select>
        {f.kind !== 'online' && (
          <Field label={t('meetingStaff.address')} value={f.address} onChange={(e) => set('address', e.target.value)} required maxLength={500} autoComplete="street-address" error={errors.address} />
        )}
        {f.kind !== 'in_person' && (
          <>
            <Field label={t('meetingStaff.onlineUrl')} type="url" inputMode="url" value={f.onlineUrl} onChange={(e) => set('onlineUrl', e.target.value)} required maxLength={2000} placeholder="https://" error={errors.online_url} />
            <label className="check">
              <input type="checkbox" checked={f.linkForRegistrantsOnly} onChange={(e) => set('linkForRegistrantsOnly', e.target.checked)} />
              {t('meetingStaff.linkForRegistrantsOnly')}
            </label>
          </>
        )}
      </fieldset>

      <fieldset>
        <legend>{t('meetingStaff.when')}</legend>
        <p className="hint">{zoneHint}</p>
        <div className="field-row">
          <Field label={t('meetingStaff.startsAt')} type="datetime-local" value={f.startsAt} onChange={(e) => set('startsAt', e.target.value)} required error={errors.starts_at} />
          <Field label={t('meetingStaff.endsAt')} type="datetime-local" value={f.endsAt} onChange={(e) => set('endsAt', e.target.value)} required min={f.startsAt || undefined} error={errors.ends_at} />
        </div>
      </fieldset>

      <fieldset>
        <legend>{t('meetingStaff.registration')}</legend>
        <label className="check">
          <input type="checkbox" checked={f.registrationOpen} onChange={(e) => set('registrationOpen', e.target.checked)} />
          {t('meetingStaff.registrationOpen')}
        </label>
        <Field
          label={t('meetingStaff.capacity')}
          hint={t('meetingStaff.capacityHint')}
          type="number"
          inputMode="numeric"
          min={1}
          max={100000}
          value={f.capacity}
          onChange={(e) => set('capacity', e.target.value)}
          error={errors.capacity}
        />
        <label className="check">
          <input type="checkbox" checked={f.waitingList} onChange={(e) => set('waitingList', e.target.checked)} />
          {t('meetingStaff.waitingList')}
        </label>
        <Field
          label={t('meetingStaff.deadline')}
          hint={`${t('meetingStaff.deadlineHint')} ${zoneHint}`}
          type="datetime-local"
          value={f.registrationDeadline}
          onChange={(e) => set('registrationDeadline', e.target.value)}
          error={errors.registration_deadline}
        />
      </fieldset>

      <fieldset>
        <legend>{t('meetings.agenda')}</legend>
        {f.agenda.length === 0 && <p className="hint">{t('meetingStaff.agendaEmpty')}</p>}
        <ol className="agenda-rows">
          {f.agenda.map((a, i) => (
            <li key={a.key}>
              <fieldset>
                <legend>{t('meetingStaff.agendaItem', { n: i + 1 })}</legend>
                <MultilingualInput {...localized} label={t('meetingStaff.agendaTitle')} name={`agenda[${i}].title`} value={a.title} onChange={(v) => setRow(i, { title: v })} required maxLength={300} />
                <Field
                  label={t('meetingStaff.duration')}
                  type="number"
                  inputMode="numeric"
                  min={1}
                  max={600}
                  value={a.minutes}
                  onChange={(e) => setRow(i, { minutes: e.target.value })}
                  required
                  error={errors[`agenda[${i}].duration_minutes`]}
                />
                <div className="actions">
                  <button type="button" className="secondary" disabled={i === 0} onClick={() => move(i, -1)} aria-label={t('meetingStaff.moveUp', { n: i + 1 })}>
                    ↑
                  </button>
                  <button type="button" className="secondary" disabled={i === f.agenda.length - 1} onClick={() => move(i, 1)} aria-label={t('meetingStaff.moveDown', { n: i + 1 })}>
                    ↓
                  </button>
                  <button type="button" className="secondary" onClick={() => set('agenda', f.agenda.filter((_, j) => j !== i))}>
                    {t('meetingStaff.removeItem', { n: i + 1 })}
                  </button>
                </div>
              </fieldset>
            </li>
          ))}
        </ol>
        <button type="button" className="secondary" onClick={() => set('agenda', [...f.agenda, newAgendaRow()])}>
          {t('meetingStaff.addAgendaItem')}
        </button>
      </fieldset>

      <LinksFieldset targets={linkTargets} links={f.links} onChange={(links) => set('links', links)} errors={errors} fallback={org.default_locale} />

      <StaffFormFooter error={error} stale={stale} onReload={onReload} reloadLabel={t('meetingStaff.reload')} busy={busy} submitLabel={submitLabel} />
    </form>
  );
}
