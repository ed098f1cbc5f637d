import { useState, type FormEvent, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { ErrorMessage, Loading, Localized } from '../../../components/ui';
import { useAuth } from '../../../lib/auth';
import { problemCode } from '../../../lib/errors';
import { useMySurveyResponse, useRespond, useSurvey } from '../api';
import { answerErrors, answersToSend, progress, visibility, type Answer, type Answers, type Question } from '../lib/visibility';

/** A survey to fill in: questions appear and disappear as the answers meet their conditions. */
export function SurveyForm({ slug, surveyId }: { slug: string; surveyId: string }) {
  const { t } = useTranslation();
  const { user } = useAuth();
  const path = { org: slug, id: surveyId };
  const survey = useSurvey(slug, surveyId);
  const mine = useMySurveyResponse(slug, surveyId, !!user);
  const respond = useRespond();
  const [answers, setAnswers] = useState<Answers>({});
  const error = respond.error;
  const sent = respond.data ? (respond.data.replaced ? 'replaced' : 'new') : undefined;
  if (survey.isPending) return <Loading />;
  if (!survey.data) return <ErrorMessage error={survey.error} />;
  const s = survey.data;
  const questions = s.questions;
  const shown = visibility(questions, answers);
  const { answered, shown: total } = progress(questions, answers);
  const errors = answerErrors(error);
  const set = (id: string, a: Answer | undefined) => setAnswers((prev) => ({ ...prev, [id]: a }));
  const alreadyAnswered = mine.data?.participated === true && s.policy === 'one_per_resident_refuse';

  const submit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    respond.mutate({ params: { path }, body: { answers: answersToSend(questions, answers) }, headers: { 'Idempotency-Key': crypto.randomUUID() } });
  };

  const code = problemCode(error);
  const status = s.status;
  let body: ReactNode;
  if (status !== 'open') body = <p>{t('surveys.notOpen')}</p>;
  else if (!user)
    body = (
      <p>
        <Link to={`/login?next=${encodeURIComponent(window.location.pathname)}`}>{t('surveys.signIn')}</Link>
      </p>
    );
  else if (alreadyAnswered || sent === 'new')
    body = (
      <p role="status">{sent ? t('surveys.thanks') : t('surveys.alreadyAnswered')}</p>
    );
  else
    body = (
      <form onSubmit={submit} noValidate>
        {s.anonymous && <p className="hint">{t('surveys.anonymousNote')}</p>}
        {mine.data?.participated && <p className="hint">{t('surveys.willReplace')}</p>}
        <p>
          <label htmlFor={`progress-${s.id}`}>{t('surveys.progress', { answered, shown: total })}</label>{' '}
          <progress id={`progress-${s.id}`} max={Math.max(total, 1)} value={answered} />
        </p>
        {questions.map((q, i) => (shown[i] ? <QuestionInput key={q.id} q={q} value={answers[q.id]} onChange={(a) => set(q.id, a)} error={errors[q.id]} /> : null))}
        {code === 'survey-not-open' ? <p role="alert" className="error">{t('surveys.notOpen')}</p> : code === 'already-responded' ? <p role="alert" className="error">{t('surveys.alreadyAnswered')}</p> : <ErrorMessage error={error} />}
        {sent === 'replaced' && <p role="status">{t('surveys.replaced')}</p>}
        <button type="submit">{t('surveys.send')}</button>
      </form>
    );

  return (
    <section aria-labelledby={`survey-${s.id}`} className="panel">
      <h2 id={`survey-${s.id}`}>
        <Localized text={s.title} />
      </h2>
      <Localized as="p" text={s.description} />
      {body}
      <p>
        <Link to={`/o/${slug}/surveys/${s.id}/results`}>{t('surveys.viewResults')}</Link>
      </p>
    </section>
  );
}

function QuestionInput({ q, value, onChange, error }: { q: Question; value: Answer | undefined; onChange: (a: Answer | undefined) => void; error?: string }) {
  const { t } = useTranslation();
  const errorId = `q-${q.id}-error`;
  const legendId = `q-${q.id}-legend`;
  const legend = (
    <legend id={legendId}>
      <Localized text={q.text} />
      {q.required && <span className="hint"> ({t('surveys.required')})</span>}
    </legend>
  );
  const k = q.kind;
  let input: ReactNode;
  switch (k.type) {
    case 'single_choice':
      input = k.options.map((o) => (
        <label key={o.id} className="choice">
          <input type="radio" name={q.id} checked={value?.type === 'single_choice' && value.option === o.id} onChange={() => onChange({ type: 'single_choice', option: o.id })} />{' '}
          <Localized text={o.label} />
        </label>
      ));
      break;
    case 'multiple_choice': {
      const chosen = value?.type === 'multiple_choice' ? value.options : [];
      input = k.options.map((o) => (
        <label key={o.id} className="choice">
          <input
            type="checkbox"
            checked={chosen.includes(o.id)}
            onChange={(e) => onChange({ type: 'multiple_choice', options: e.target.checked ? [...chosen, o.id] : chosen.filter((x) => x !== o.id) })}
          />{' '}
          <Localized text={o.label} />
        </label>
      ));
      break;
    }
    case 'short_text':
    case 'long_text': {
      const text = value?.type === k.type ? value.text : '';
      const props = { 'aria-labelledby': legendId, maxLength: k.max_length, value: text, 'aria-describedby': error ? errorId : undefined };
      input =
        k.type === 'short_text' ? (
          <input type="text" {...props} onChange={(e) => onChange({ type: 'short_text', text: e.target.value })} />
        ) : (
          <textarea rows={4} {...props} onChange={(e) => onChange({ type: 'long_text', text: e.target.value })} />
        );
      break;
    }
    case 'number':
      input = (
        <input
          type="number"
          aria-labelledby={legendId}
          aria-describedby={error ? errorId : undefined}
          step={1}
          min={k.min ?? undefined}
          max={k.max ?? undefined}
          value={value?.type === 'number' ? value.value : ''}
          onChange={(e) => onChange(e.target.value === '' ? undefined : { type: 'number', value: Math.trunc(Number(e.target.value)) })}
        />
      );
      break;
    case 'scale': {
      const points = Array.from({ length: k.points }, (_, i) => i + 1);
      const label = (p: number) => (k.labels.type === 'each' ? k.labels.labels[p - 1] : p === 1 ? k.labels.low : p === k.points ? k.labels.high : undefined);
      input = points.map((p) => (
        <label key={p} className="choice">
          <input type="radio" name={q.id} checked={value?.type === 'scale' && value.value === p} onChange={() => onChange({ type: 'scale', value: p })} /> {p}{' '}
          {label(p) && <Localized text={label(p)} />}
        </label>
      ));
      break;
    }
    case 'ranking': {
      const ranked = value?.type === 'ranking' ? value.options : [];
      const limit = k.top ?? k.options.length;
      const labelOf = (id: string) => k.options.find((o) => o.id === id)?.label;
      const put = (list: string[]) => onChange({ type: 'ranking', options: list });
      input = (
        <>
          <ol aria-label={t('surveys.ranked')}>
            {ranked.map((id, i) => (
              <li key={id}>
                <Localized text={labelOf(id)} />{' '}
                {i > 0 && (
                  <button type="button" onClick={() => put([...ranked.slice(0, i - 1), id, ranked[i - 1] ?? id, ...ranked.slice(i + 1)])}>
                    {t('surveys.rankUp')}
                  </button>
                )}{' '}
                <button type="button" onClick={() => put(ranked.filter((x) => x !== id))}>
                  {t('surveys.rankRemove')}
                </button>
              </li>
            ))}
          </ol>
          {ranked.length < limit && (
            <p>
              {k.options
                .filter((o) => !ranked.includes(o.id))
                .map((o) => (
                  <button key={o.id} type="button" onClick={() => put([...ranked, o.id])}>
                    + <Localized text={o.label} />
                  </button>
                ))}
            </p>
          )}
        </>
      );
      break;
    }
  }
  return (
    <fieldset aria-invalid={error ? true : undefined} aria-describedby={error ? errorId : undefined}>
      {legend}
      {q.description && <Localized as="p" text={q.description} />}
      {input}
      {error && (
        <p id={errorId} className="field-error">
          {error}
        </p>
      )}
    </fieldset>
  );
}
