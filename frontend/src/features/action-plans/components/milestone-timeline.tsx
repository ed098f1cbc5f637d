import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Localized } from '../../../components/ui';
import { formatDate } from '../../../lib/format';
import type { Locale } from '../../../lib/language';
import { timeline, type Milestone } from '../lib/plans';
import { MilestoneForm } from './milestone-form';

/** A commitment's milestones in order, with their dates, status and warnings; staff edit in place. */
export function MilestoneTimeline({
  milestones,
  fallback,
  edit,
}: {
  milestones: Milestone[];
  fallback?: string;
  edit?: { slug: string; commitmentId: string; etag: string | undefined; locales: Locale[] };
}) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language as Locale;
  const [editing, setEditing] = useState<string | null>(null);
  if (milestones.length === 0) return <p>{t('plans.noMilestones')}</p>;
  const date = (d: string) => <time dateTime={d}>{formatDate(d, lang, 'UTC')}</time>;
  return (
    <ol className="timeline">
      {timeline(milestones).map(({ milestone: m, mark }) => (
        <li key={m.id} className={`timeline-item mstatus-${m.status}`}>
          <Localized as="h3" text={m.title} fallback={fallback} />
          <p>
            {date(m.start_date)} – {date(m.end_date)} · <span className={`badge mstatus-${m.status}`}>{t(`plans.mstatus_${m.status}`)}</span>
            {mark && <> · <span className={`badge mark-${mark}`}>{t(`plans.mark_${mark}`)}</span></>}
          </p>
          {m.status === 'done' && m.completed_on && <p>{t('plans.completedOnDate', { date: formatDate(m.completed_on, lang, 'UTC') })}</p>}
          {Object.values(m.deliverable).some(Boolean) && (
            <p>
              <span className="muted">{t('plans.deliverable')}:</span> <Localized text={m.deliverable} fallback={fallback} />
            </p>
          )}
          {edit &&
            (editing === m.id ? (
              <MilestoneForm
                {...edit}
                milestone={m}
                onCancel={() => setEditing(null)}
                onDone={() => setEditing(null)}
              />
            ) : (
              <button type="button" className="secondary" onClick={() => setEditing(m.id)}>
                {t('plans.editMilestone', { title: m.title[lang] ?? Object.values(m.title).find(Boolean) ?? '' })}
              </button>
            ))}
        </li>
      ))}
    </ol>
  );
}
