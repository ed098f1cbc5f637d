// Small pieces the action plan screens share: link rows, progress bar,
// the completion chart and status badges.
import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Field } from '../../../components/ui';
import { errorFor } from '../../../lib/errors';
import { chartSummary, levelChart, type CompletionLevel } from '../lib/plans';
import type { Schemas } from '../../../lib/api-client';

/** Rows of title + URL (documents, evidence) that can be added and removed. */
export function LinkRows({
  prefix,
  legend,
  addLabel,
  initial,
  errors,
  errorPath,
}: {
  prefix: string;
  legend: string;
  addLabel: string;
  initial?: { title?: string | null; url: string }[];
  errors: Record<string, string>;
  errorPath: string;
}) {
  const { t } = useTranslation();
  const [rows, setRows] = useState(() => (initial ?? []).map((d, i) => ({ key: i, ...d })));
  const [next, setNext] = useState(rows.length);
  const legendId = useId();
  return (
    <fieldset aria-labelledby={legendId}>
      <legend id={legendId}>{legend}</legend>
      {rows.length === 0 && <p className="hint">{t('common.none')}</p>}
      {rows.map((row, i) => (
        <div key={row.key} className="link-row">
          <Field label={t('plans.linkTitle', { n: i + 1 })} name={`${prefix}_title`} defaultValue={row.title ?? ''} error={errorFor(errors, `${errorPath}[${i}].title`)} />
          <Field label={t('plans.linkUrl', { n: i + 1 })} name={`${prefix}_url`} type="url" inputMode="url" defaultValue={row.url} error={errorFor(errors, `${errorPath}[${i}].url`) ?? errorFor(errors, `${errorPath}[${i}]`)} />
          <button type="button" className="secondary" onClick={() => setRows(rows.filter((r) => r.key !== row.key))}>
            {t('plans.removeRow', { n: i + 1 })}
          </button>
        </div>
      ))}
      <button
        type="button"
        className="secondary"
        onClick={() => {
          setRows([...rows, { key: next, title: '', url: '' }]);
          setNext(next + 1);
        }}
      >
        {addLabel}
      </button>
    </fieldset>
  );
}

/** A commitment's completion: level, percent and an accessible bar. */
export function ProgressBar({ completion, label }: { completion: Schemas['CompletionDto']; label: string }) {
  const { t } = useTranslation();
  const level = t(`plans.level_${completion.level}`);
  return (
    <div className="progress">
      <div
        role="progressbar"
        aria-label={label}
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={completion.percent}
        aria-valuetext={`${completion.percent} % – ${level}`}
        className="progress-track"
      >
        <div className={`progress-fill level-${completion.level}`} style={{ width: `${completion.percent}%` }} />
      </div>
      <p className="progress-text">
        <LevelBadge level={completion.level} /> {t('plans.percentDone', { percent: completion.percent, done: completion.done, total: completion.total })}
      </p>
    </div>
  );
}

export function LevelBadge({ level }: { level: CompletionLevel }) {
  const { t } = useTranslation();
  return <span className={`badge level-${level}`}>{t(`plans.level_${level}`)}</span>;
}

/** Commitments per completion level as bars, with the same numbers in words. */
export function LevelChart({ byLevel }: { byLevel: Schemas['LevelCounts'] }) {
  const { t } = useTranslation();
  const { rows, total } = levelChart(byLevel);
  const captionId = useId();
  return (
    <figure className="level-chart" aria-labelledby={captionId}>
      <figcaption id={captionId}>{chartSummary(byLevel, t)}</figcaption>
      {total > 0 && (
        <div className="chart-rows" aria-hidden="true">
          {rows.map((r) => (
            <div key={r.level} className="chart-row">
              <span className="chart-label">{t(`plans.level_${r.level}`)}</span>
              <span className="chart-bar-track">
                <span className={`chart-bar level-${r.level}`} style={{ width: `${r.percent}%` }} />
              </span>
              <span className="chart-value">{r.count}</span>
            </div>
          ))}
        </div>
      )}
    </figure>
  );
}
