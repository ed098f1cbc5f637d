import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, Navigate, useNavigate, useParams } from 'react-router-dom';
import { MultilingualInput } from '../../../components/forms';
import { ErrorMessage, Field, Loading } from '../../../components/ui';
import type { Schemas } from '../../../lib/api-client';
import { useAuth } from '../../../lib/auth';
import { orgLocales } from '../../../lib/forms';
import type { Locale } from '../../../lib/language';
import { canCreate, canEdit } from '../../../lib/permissions';
import { instantToZoned, zonedToInstant } from '../../../lib/time-zone';
import { useOrg, useSaveSurvey, useVersionedSurvey } from '../api';
import {
  QUESTION_TYPES,
  conditionTargets,
  errorsOf,
  freshId,
  fromQuestion,
  hasOptions,
  isStructureLocked,
  keepTexts,
  moveQuestion,
  newQuestion,
  pruneConditions,
  removeQuestion,
  surveyBody,
  type DraftQuestion,
  type QuestionType,
  type SurveyDraft,
} from '../lib/builder';

const EMPTY: SurveyDraft = {
  title: {},
  description: {},
  questions: [],
  policy: 'one_per_resident_refuse',
  anonymous: false,
  resultsPublic: false,
  opensAt: null,
  closesAt: null,
};

function num(v: string): number | null {
  return v.trim() === '' ? null : Number(v);
}

type Loaded = Schemas['SurveyDetail'];

function draftOf(s: Loaded): SurveyDraft {
  return {
    title: s.title,
    description: s.description,
    questions: s.questions.map(fromQuestion),
    policy: s.policy,
    anonymous: s.anonymous,
    resultsPublic: s.results_public,
    opensAt: s.opens_at ?? null,
    closesAt: s.closes_at ?? null,
  };
}

/** Creates or edits a survey, for staff. */
export default function SurveyBuilder() {
  const { slug = '', id } = useParams();
  const { t } = useTranslation();
  const { user } = useAuth();
  const org = useOrg(slug);
  const survey = useVersionedSurvey(slug, id);
  if (user === undefined || org.isPending || survey.isLoading) return <Loading />;
  if (user === null) return <Navigate to={`/login?next=/o/${slug}/surveys/new`} />;
  if (!(id ? canEdit(user, slug, survey.data?.item) : canCreate(user, slug))) return <p role="alert">{t('admin.forbidden')}</p>;
  if (!org.data) return <ErrorMessage error={org.error} />;
  if (id && !survey.data) return <ErrorMessage error={survey.error} />;
  const loaded = survey.data?.item;
  return (
    <Builder
      key={id ?? 'new'}
      slug={slug}
      id={id}
      etag={survey.data?.etag}
      ownPeriod={!!loaded?.opens_at}
      locales={orgLocales(org.data)}
      timeZone={org.data.time_zone}
      initial={loaded ? draftOf(loaded) : EMPTY}
    />
  );
}

function Builder({
  slug,
  id,
  etag,
  ownPeriod,
  locales,
  timeZone,
  initial,
}: {
  slug: string;
  id?: string;
  etag?: string;
  ownPeriod: boolean;
  locales: Locale[];
  timeZone: string;
  initial: SurveyDraft;
}) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const [draft, setDraft] = useState<SurveyDraft>(initial);
  const save = useSaveSurvey(slug, id);
  const error = save.error;
  const busy = save.isPending;
  const [status, setStatus] = useState('');

  const errors = errorsOf(error);
  const locked = isStructureLocked(error);
  const questions = draft.questions;
  const setQuestions = (qs: DraftQuestion[]) => setDraft((d) => ({ ...d, questions: qs }));
  const update = (i: number, change: Partial<DraftQuestion>) => setQuestions(pruneConditions(questions.map((q, j) => (j === i ? { ...q, ...change } : q))));
  const add = (type: QuestionType) => {
    setQuestions([...questions, newQuestion(type, questions.map((q) => q.id))]);
    setStatus(t('surveys.builder.added', { n: questions.length + 1 }));
  };
  const move = (i: number, delta: number) => {
    setQuestions(moveQuestion(questions, i, delta));
    setStatus(t('surveys.builder.moved', { n: Math.max(1, Math.min(questions.length, i + 1 + delta)) }));
  };
  const typeName = (type: QuestionType) => t(`surveys.builder.types.${type}`);

  const submit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const body = surveyBody(draft);
    const update = { title: body.title, description: body.description, questions: body.questions, results_public: body.results_public, ...(ownPeriod || body.opens_at || body.closes_at ? { opens_at: body.opens_at, closes_at: body.closes_at } : {}) };
    save.mutate({ body, update, etag }, { onSuccess: (saved) => navigate(`/o/${slug}/surveys/${saved.id}`) });
  };

  return (
    <section className="survey-builder">
      <p>
        <Link to={id ? `/o/${slug}/surveys/${id}` : `/o/${slug}/consultations`}>{t('common.back')}</Link>
      </p>
      <h1>{id ? t('surveys.builder.edit') : t('surveys.builder.new')}</h1>
      <form onSubmit={submit} noValidate className="stacked-form">
        <MultilingualInput errors={errors.fields} rows={2} name="title" label={t('surveys.builder.title')} locales={locales} value={draft.title} onChange={(v) => setDraft({ ...draft, title: v })} required />
        <MultilingualInput errors={errors.fields} rows={2} name="description" label={t('surveys.builder.description')} locales={locales} value={draft.description} onChange={(v) => setDraft({ ...draft, description: v })} multiline />
        <fieldset>
          <legend>{t('surveys.builder.settings')}</legend>
          <label>
            <input type="checkbox" checked={draft.anonymous} disabled={!!id} onChange={(e) => setDraft({ ...draft, anonymous: e.target.checked, policy: e.target.checked ? 'one_per_resident_refuse' : draft.policy })} /> {t('surveys.builder.anonymous')}
          </label>
          <label>
            <input
              type="checkbox"
              checked={draft.policy === 'one_per_resident_replace'}
              disabled={!!id || draft.anonymous}
              onChange={(e) => setDraft({ ...draft, policy: e.target.checked ? 'one_per_resident_replace' : 'one_per_resident_refuse' })}
            />{' '}
            {t('surveys.builder.replace')}
          </label>
          <label>
            <input type="checkbox" checked={draft.resultsPublic} onChange={(e) => setDraft({ ...draft, resultsPublic: e.target.checked })} /> {t('surveys.builder.resultsPublic')}
          </label>
          {errors.fields.policy && <p className="field-error">{errors.fields.policy}</p>}
        </fieldset>
        <fieldset>
          <legend>{t('surveys.builder.period')}</legend>
          <p className="hint">{t('surveys.builder.periodHint', { zone: timeZone })}</p>
          <Field
            label={t('surveys.builder.opensAt')}
            type="datetime-local"
            value={draft.opensAt ? instantToZoned(draft.opensAt, timeZone) : ''}
            onChange={(e) => setDraft({ ...draft, opensAt: e.target.value ? (zonedToInstant(e.target.value, timeZone) ?? null) : null })}
            error={errors.fields.opens_at}
          />
          <Field
            label={t('surveys.builder.closesAt')}
            type="datetime-local"
            value={draft.closesAt ? instantToZoned(draft.closesAt, timeZone) : ''}
            onChange={(e) => setDraft({ ...draft, closesAt: e.target.value ? (zonedToInstant(e.target.value, timeZone) ?? null) : null })}
            error={errors.fields.closes_at}
          />
        </fieldset>

        <h2>{t('surveys.builder.questions')}</h2>
        {errors.fields.questions && <p className="field-error">{errors.fields.questions}</p>}
        {locked && (
          <div role="alert">
            <p className="field-error">{t('surveys.builder.locked')}</p>
            <button
              type="button"
              onClick={() => {
                setDraft({ ...draft, questions: keepTexts(initial.questions, draft.questions), anonymous: initial.anonymous, policy: initial.policy });
                save.reset();
              }}
            >
              {t('surveys.builder.undoStructure')}
            </button>
          </div>
        )}
        <p role="status" className="visually-hidden">
          {status}
        </p>
        <ol className="builder-questions">
          {questions.map((q, i) => {
            const n = i + 1;
            const targets = conditionTargets(questions, i);
            const target = targets.find((x) => x.id === q.condition?.question);
            const qError = errors.questions[i];
            return (
              <li key={q.id}>
                <fieldset aria-describedby={qError ? `q-${q.id}-error` : undefined}>
                  <legend>
                    {t('surveys.builder.question', { n })} · {typeName(q.type)}
                  </legend>
                  {qError && (
                    <p id={`q-${q.id}-error`} className="field-error">
                      {qError}
                    </p>
                  )}
                  <div className="builder-tools">
                    <button type="button" onClick={() => move(i, -1)} disabled={i === 0} aria-label={t('surveys.builder.moveUp', { n })}>
                      ↑
                    </button>
                    <button type="button" onClick={() => move(i, 1)} disabled={i === questions.length - 1} aria-label={t('surveys.builder.moveDown', { n })}>
                      ↓
                    </button>
                    <button type="button" onClick={() => setQuestions(removeQuestion(questions, i))} aria-label={t('surveys.builder.remove', { n })}>
                      {t('surveys.builder.removeShort')}
                    </button>
                  </div>
                  <label className="field">
                    {t('surveys.builder.type')}
                    <select value={q.type} onChange={(e) => update(i, { type: e.target.value as QuestionType, options: hasOptions(e.target.value as QuestionType) && q.options.length === 0 ? newQuestion('single_choice', []).options : q.options })}>
                      {QUESTION_TYPES.map((type) => (
                        <option key={type} value={type}>
                          {typeName(type)}
                        </option>
                      ))}
                    </select>
                  </label>
                  <MultilingualInput errors={errors.fields} rows={2} name={`questions[${i}].text`} label={t('surveys.builder.questionText')} locales={locales} value={q.text} onChange={(v) => update(i, { text: v })} required />
                  <MultilingualInput errors={errors.fields} rows={2} name={`questions[${i}].description`} label={t('surveys.builder.hint')} locales={locales} value={q.description} onChange={(v) => update(i, { description: v })} />
                  <label>
                    <input type="checkbox" checked={q.required} onChange={(e) => update(i, { required: e.target.checked })} /> {t('surveys.builder.required')}
                  </label>
                  {hasOptions(q.type) && (
                    <fieldset>
                      <legend>{t('surveys.builder.options')}</legend>
                      {q.options.map((o, k) => (
                        <div key={o.id} className="builder-option">
                          <MultilingualInput
                            errors={errors.fields}
                            rows={2}
                            name={`questions[${i}].options[${k}].label`}
                            label={t('surveys.builder.option', { n: k + 1 })}
                            locales={locales}
                            value={o.label}
                            onChange={(v) => update(i, { options: q.options.map((x, m) => (m === k ? { ...x, label: v } : x)) })}
                            required
                          />
                          <button type="button" onClick={() => update(i, { options: q.options.filter((_, m) => m !== k) })} aria-label={t('surveys.builder.removeOption', { n: k + 1 })}>
                            {t('surveys.builder.removeShort')}
                          </button>
                        </div>
                      ))}
                      <button type="button" onClick={() => update(i, { options: [...q.options, { id: freshId('o', q.options.map((o) => o.id)), label: {} }] })}>
                        {t('surveys.builder.addOption')}
                      </button>
                    </fieldset>
                  )}
                  {q.type === 'multiple_choice' && (
                    <div className="two-cols">
                      <label className="field">
                        {t('surveys.builder.minSelections')}
                        <input type="number" min={0} value={q.minSelections} onChange={(e) => update(i, { minSelections: num(e.target.value) ?? 0 })} />
                      </label>
                      <label className="field">
                        {t('surveys.builder.maxSelections')}
                        <input type="number" min={1} value={q.maxSelections ?? ''} onChange={(e) => update(i, { maxSelections: num(e.target.value) })} />
                      </label>
                    </div>
                  )}
                  {q.type === 'ranking' && (
                    <label className="field">
                      {t('surveys.builder.top')}
                      <input type="number" min={1} value={q.top ?? ''} onChange={(e) => update(i, { top: num(e.target.value) })} />
                    </label>
                  )}
                  {(q.type === 'short_text' || q.type === 'long_text') && (
                    <label className="field">
                      {t('surveys.builder.maxLength')}
                      <input type="number" min={1} value={q.maxLength} onChange={(e) => update(i, { maxLength: num(e.target.value) ?? 1 })} />
                    </label>
                  )}
                  {q.type === 'number' && (
                    <div className="two-cols">
                      <label className="field">
                        {t('surveys.builder.min')}
                        <input type="number" value={q.min ?? ''} onChange={(e) => update(i, { min: num(e.target.value) })} />
                      </label>
                      <label className="field">
                        {t('surveys.builder.max')}
                        <input type="number" value={q.max ?? ''} onChange={(e) => update(i, { max: num(e.target.value) })} />
                      </label>
                    </div>
                  )}
                  {q.type === 'scale' && (
                    <>
                      <label className="field">
                        {t('surveys.builder.points')}
                        <input type="number" min={2} max={10} value={q.points} onChange={(e) => update(i, { points: num(e.target.value) ?? 5 })} />
                      </label>
                      <label className="field">
                        {t('surveys.builder.labelsMode')}
                        <select value={q.labelsMode} onChange={(e) => update(i, { labelsMode: e.target.value as 'ends' | 'each' })}>
                          <option value="ends">{t('surveys.builder.labelsEnds')}</option>
                          <option value="each">{t('surveys.builder.labelsEach')}</option>
                        </select>
                      </label>
                      {q.labelsMode === 'ends' ? (
                        <>
                          <MultilingualInput errors={errors.fields} rows={2} name={`questions[${i}].low`} label={t('surveys.builder.low')} locales={locales} value={q.low} onChange={(v) => update(i, { low: v })} required />
                          <MultilingualInput errors={errors.fields} rows={2} name={`questions[${i}].high`} label={t('surveys.builder.high')} locales={locales} value={q.high} onChange={(v) => update(i, { high: v })} required />
                        </>
                      ) : (
                        Array.from({ length: q.points }, (_, k) => (
                          <MultilingualInput
                            key={k}
                            errors={errors.fields}
                            rows={2}
                            name={`questions[${i}].labels[${k}]`}
                            label={t('surveys.builder.pointLabel', { n: k + 1 })}
                            locales={locales}
                            value={q.eachLabels[k] ?? {}}
                            onChange={(v) => update(i, { eachLabels: Array.from({ length: q.points }, (_, m) => (m === k ? v : (q.eachLabels[m] ?? {}))) })}
                            required
                          />
                        ))
                      )}
                    </>
                  )}
                  <fieldset>
                    <legend>{t('surveys.builder.condition')}</legend>
                    {q.otherCondition ? (
                      <p>{t('surveys.builder.otherCondition')}</p>
                    ) : targets.length === 0 ? (
                      <p className="hint">{t('surveys.builder.noTargets')}</p>
                    ) : (
                      <>
                        <label className="field">
                          {t('surveys.builder.showWhen')}
                          <select value={q.condition?.question ?? ''} onChange={(e) => update(i, { condition: e.target.value ? { question: e.target.value, options: [] } : null })}>
                            <option value="">{t('surveys.builder.always')}</option>
                            {targets.map((x) => (
                              <option key={x.id} value={x.id}>
                                {t('surveys.builder.question', { n: questions.indexOf(x) + 1 })}: {x.text[locales[0] ?? 'en'] ?? x.id}
                              </option>
                            ))}
                          </select>
                        </label>
                        {target && (
                          <fieldset>
                            <legend>{t('surveys.builder.isAnswered')}</legend>
                            {target.options.map((o) => (
                              <label key={o.id}>
                                <input
                                  type="checkbox"
                                  checked={q.condition?.options.includes(o.id) ?? false}
                                  onChange={(e) => {
                                    const c = q.condition ?? { question: target.id, options: [] };
                                    update(i, { condition: { ...c, options: e.target.checked ? [...c.options, o.id] : c.options.filter((x) => x !== o.id) } });
                                  }}
                                />{' '}
                                {o.label[locales[0] ?? 'en'] || o.id}
                              </label>
                            ))}
                          </fieldset>
                        )}
                      </>
                    )}
                  </fieldset>
                </fieldset>
              </li>
            );
          })}
        </ol>
        <fieldset>
          <legend>{t('surveys.builder.addQuestion')}</legend>
          <div className="builder-tools">
            {QUESTION_TYPES.map((type) => (
              <button key={type} type="button" onClick={() => add(type)}>
                + {typeName(type)}
              </button>
            ))}
          </div>
        </fieldset>
        {!locked && <ErrorMessage error={error} />}
        <button type="submit" disabled={busy}>
          {id ? t('common.save') : t('surveys.builder.create')}
        </button>
      </form>
    </section>
  );
}
