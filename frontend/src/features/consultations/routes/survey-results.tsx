import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router-dom';
import { ErrorMessage, Loading, Localized } from '../../../components/ui';
import type { components } from '../../../api/schema';
import { formatNumber } from '../../../lib/format';
import type { Locale, LocalizedText } from '../../../lib/language';
import { useSurvey, useSurveyResults } from '../api';

type Summary = components['schemas']['SummaryDto'];
type Question = components['schemas']['QuestionDto'];

/** A labelled horizontal bar: `share_bp` of 10 000. */
function Bar({ label, count, shareBp, lang }: { label: LocalizedText | string | undefined; count: number; shareBp: number; lang: Locale }) {
  const pct = shareBp / 100;
  return (
    <li className="result-bar">
      <span>{typeof label === 'string' ? label : <Localized text={label} />}</span>
      <span className="result-track" aria-hidden="true">
        <span className="result-fill" style={{ width: `${Math.min(pct, 100)}%` }} />
      </span>
      <span>
        {formatNumber(count, lang)} ({formatNumber(pct, lang)} %)
      </span>
    </li>
  );
}

function SummaryView({ q, summary, lang }: { q: Question | undefined; summary: Summary; lang: Locale }) {
  const { t } = useTranslation();
  const label = (id: string) => ('options' in (q?.kind ?? {}) ? (q?.kind as { options: { id: string; label: LocalizedText }[] }).options.find((o) => o.id === id)?.label : undefined) ?? id;
  switch (summary.type) {
    case 'single_choice':
    case 'multiple_choice':
      return (
        <ul className="result-bars">
          {summary.options.map((o) => (
            <Bar key={o.option} label={label(o.option)} count={o.count} shareBp={o.share_bp} lang={lang} />
          ))}
        </ul>
      );
    case 'scale':
      return (
        <>
          {summary.stats.mean && <p>{t('surveys.mean', { mean: summary.stats.mean })}</p>}
          <ul className="result-bars">
            {summary.points.map((p) => (
              <Bar key={p.point} label={String(p.point)} count={p.count} shareBp={p.share_bp} lang={lang} />
            ))}
          </ul>
        </>
      );
    case 'number':
      return <p>{summary.stats.mean ? t('surveys.mean', { mean: summary.stats.mean }) : t('surveys.noAnswers')}</p>;
    case 'ranking': {
      const max = Math.max(1, ...summary.options.map((o) => o.score));
      const sorted = [...summary.options].sort((a, b) => b.score - a.score);
      return (
        <>
          <p className="hint">{t('surveys.score')}</p>
          <ol className="result-bars">
            {sorted.map((o) => (
              <Bar key={o.option} label={label(o.option)} count={o.score} shareBp={Math.round((o.score / max) * 10000)} lang={lang} />
            ))}
          </ol>
        </>
      );
    }
    case 'short_text':
    case 'long_text':
      return summary.texts.length === 0 ? (
        <p>{t('surveys.noAnswers')}</p>
      ) : (
        <ul className="cards">
          {summary.texts.slice(0, 200).map((text, i) => (
            <li key={i} className="card">
              {text}
            </li>
          ))}
        </ul>
      );
  }
}

/** A survey's results, with simple bars. */
export default function SurveyResults() {
  const { slug = '', id = '' } = useParams();
  const { t, i18n } = useTranslation();
  const lang = i18n.language as Locale;
  const survey = useSurvey(slug, id);
  const results = useSurveyResults(slug, id);
  if (survey.isPending || results.isPending) return <Loading />;
  if (!survey.data) return <ErrorMessage error={survey.error} />;
  const s = survey.data;
  return (
    <article>
      <p>
        <Link to={`/o/${slug}/surveys/${id}`}>{t('common.back')}</Link>
      </p>
      <h1>
        {t('surveys.results')}: <Localized text={s.title} />
      </h1>
      {!results.data ? (
        <p>{t('surveys.resultsHidden')}</p>
      ) : (
        <>
          <p>{t('surveys.respondents', { count: results.data.respondents })}</p>
          {results.data.questions.map((r) => {
            const q = s.questions.find((x) => x.id === r.question);
            return (
              <section key={r.question} aria-labelledby={`r-${r.question}`} className="panel">
                <h2 id={`r-${r.question}`}>
                  <Localized text={q?.text} fallback={r.question} />
                </h2>
                <p className="hint">{t('surveys.answeredBy', { count: r.respondents, shown: r.shown })}</p>
                <SummaryView q={q} summary={r.summary} lang={lang} />
              </section>
            );
          })}
        </>
      )}
    </article>
  );
}
