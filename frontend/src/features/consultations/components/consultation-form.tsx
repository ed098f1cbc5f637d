import { useTranslation } from 'react-i18next';
import { MultilingualInput, StaffFormFooter } from '../../../components/forms';
import { Field, Select } from '../../../components/ui';
import type { Schemas } from '../../../lib/api-client';
import { orgLocales } from '../../../lib/forms';
import { useStaffForm } from '../../../lib/staff-form';
import {
  newDocument,
  newSection,
  SUBJECTS,
  validateConsultationForm,
  type ConsultationFormState,
  type DocumentRow,
  type SectionRow,
} from '../lib/consultation-form';

interface Props {
  org: Schemas['OrgResponse'];
  initial: ConsultationFormState;
  submitLabel: string;
  /** Whether the period can still change (only before the consultation opens). */
  periodLocked?: boolean;
  /** Surveys that may be linked (only when creating). */
  surveys?: Schemas['SurveyDetail'][];
  /** Sends the form; resolves to the API's error, or nothing when it worked. */
  onSubmit: (form: ConsultationFormState) => Promise<unknown>;
  /** Offered after a 412, to load the current version. */
  onReload?: () => void;
}

/** Creating or editing a consultation: texts, subject, period, sections of the draft, documents, opinion policy. */
export function ConsultationForm({ org, initial, submitLabel, periodLocked, surveys, onSubmit, onReload }: Props) {
  const { t, i18n } = useTranslation();
  const { f, set, errors, error, busy, stale, formRef, onSubmit: send } = useStaffForm(initial, (form: ConsultationFormState) => validateConsultationForm(form, org, t), onSubmit);
  const setSection = (i: number, row: Partial<SectionRow>) => set('sections', f.sections.map((s, j) => (j === i ? { ...s, ...row } : s)));
  const setDocument = (i: number, row: Partial<DocumentRow>) => set('documents', f.documents.map((d, j) => (j === i ? { ...d, ...row } : d)));

  const localized = { locales: orgLocales(org), errors };
  const lang = i18n.language as keyof Schemas['LocalizedTextDto'];
  return (
    <form ref={formRef} onSubmit={send} noValidate className="staff-form">
      <fieldset>
        <legend>{t('consultationForm.about')}</legend>
        <MultilingualInput {...localized} label={t('consultationForm.titleField')} name="title" value={f.title} onChange={(v) => set('title', v)} required maxLength={200} />
        <MultilingualInput {...localized} label={t('consultationForm.summary')} name="summary" value={f.summary} onChange={(v) => set('summary', v)} multiline rows={2} maxLength={1000} />
        <MultilingualInput {...localized} label={t('consultationForm.body')} name="body" value={f.body} onChange={(v) => set('body', v)} multiline rows={8} maxLength={20000} />
        <Select label={t('consultationForm.subject')} value={f.subject} onChange={(e) => set('subject', e.target.value as ConsultationFormState['subject'])} error={errors.subject}>
          {SUBJECTS.map((s) => (
            <option key={s} value={s}>
              {t(`consultationForm.subject_${s}`)}
            </option>
          ))}
        </Select>
      </fieldset>

      <fieldset>
        <legend>{t('consultationForm.period')}</legend>
        <p className="hint">{periodLocked ? t('consultationForm.periodLocked') : t('consultationForm.periodHint', { zone: org.time_zone })}</p>
        <div className="field-row">
          <Field label={t('consultationForm.opensAt')} type="datetime-local" value={f.opensAt} onChange={(e) => set('opensAt', e.target.value)} required disabled={periodLocked} error={errors.opens_at} />
          <Field
            label={t('consultationForm.closesAt')}
            type="datetime-local"
            value={f.closesAt}
            onChange={(e) => set('closesAt', e.target.value)}
            required
            disabled={periodLocked}
            min={f.opensAt || undefined}
            error={errors.closes_at}
          />
        </div>
      </fieldset>

      <fieldset>
        <legend>{t('consultationForm.opinions')}</legend>
        <label className="check">
          <input type="checkbox" checked={f.opinionsPublic} onChange={(e) => set('opinionsPublic', e.target.checked)} />
          {t('consultationForm.opinionsPublic')}
        </label>
        <label className="check">
          <input type="checkbox" checked={f.allowAnonymous} onChange={(e) => set('allowAnonymous', e.target.checked)} />
          {t('consultationForm.allowAnonymous')}
        </label>
        {surveys && (
          <Select label={t('consultationForm.survey')} value={f.surveyId} onChange={(e) => set('surveyId', e.target.value)} error={errors.survey_id}>
            <option value="">{t('consultationForm.noSurvey')}</option>
            {surveys.map((s) => (
              <option key={s.id} value={s.id}>
                {s.title[lang] ?? Object.values(s.title).find(Boolean) ?? s.id}
              </option>
            ))}
          </Select>
        )}
      </fieldset>

      <fieldset>
        <legend>{t('consultationForm.sections')}</legend>
        <p className="hint">{t('consultationForm.sectionsHint')}</p>
        <ol className="agenda-rows">
          {f.sections.map((s, i) => (
            <li key={s.rowKey}>
              <fieldset>
                <legend>{t('consultationForm.section', { n: i + 1 })}</legend>
                <Field label={t('consultationForm.sectionKey')} value={s.key} onChange={(e) => setSection(i, { key: e.target.value })} required maxLength={32} error={errors[`sections[${i}].key`]} />
                <MultilingualInput {...localized} label={t('consultationForm.sectionTitle')} name={`sections[${i}].title`} value={s.title} onChange={(v) => setSection(i, { title: v })} required maxLength={300} />
                <button type="button" className="secondary" onClick={() => set('sections', f.sections.filter((_, j) => j !== i))}>
                  {t('consultationForm.removeSection', { n: i + 1 })}
                </button>
              </fieldset>
            </li>
          ))}
        </ol>
        <button type="button" className="secondary" onClick={() => set('sections', [...f.sections, newSection()])}>
          {t('consultationForm.addSection')}
        </button>
      </fieldset>

      <fieldset>
        <legend>{t('consultationForm.documents')}</legend>
        <ol className="agenda-rows">
          {f.documents.map((d, i) => (
            <li key={d.rowKey}>
              <fieldset>
                <legend>{t('consultationForm.document', { n: i + 1 })}</legend>
                <MultilingualInput {...localized} label={t('consultationForm.documentTitle')} name={`documents[${i}].title`} value={d.title} onChange={(v) => setDocument(i, { title: v })} required maxLength={300} />
                <Field
                  label={t('consultationForm.documentUrl')}
                  type="url"
                  inputMode="url"
                  placeholder="https://"
                  value={d.url}
                  onChange={(e) => setDocument(i, { url: e.target.value })}
                  required
                  maxLength={2000}
                  error={errors[`documents[${i}].url`] ?? errors[`documents[${i}]`]}
                />
                <button type="button" className="secondary" onClick={() => set('documents', f.documents.filter((_, j) => j !== i))}>
                  {t('consultationForm.removeDocument', { n: i + 1 })}
                </button>
              </fieldset>
            </li>
          ))}
        </ol>
        <button type="button" className="secondary" onClick={() => set('documents', [...f.documents, newDocument()])}>
          {t('consultationForm.addDocument')}
        </button>
      </fieldset>

      <StaffFormFooter error={error} stale={stale} onReload={onReload} reloadLabel={t('consultationForm.reload')} busy={busy} submitLabel={submitLabel} />
    </form>
  );
}
