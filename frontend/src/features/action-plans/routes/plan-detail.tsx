import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router-dom';
import { ErrorMessage, Loading, Localized } from '../../../components/ui';
import { LinkedDocuments } from '../../../components/documents';
import type { Schemas } from '../../../lib/api-client';
import { useAuth } from '../../../lib/auth';
import { formatDate } from '../../../lib/format';
import type { Locale } from '../../../lib/language';
import { canEdit, canTransition } from '../../../lib/permissions';
import { useCommitments, useOrg, usePlan, usePlanOverview, useTransitionPlan } from '../api';
import { LevelChart, ProgressBar } from '../components/parts';
import { OgpImport } from '../components/ogp-import';
import { nextStatuses, type PlanStatus } from '../lib/plans';
import { CommentCount } from '../../../components/comments';

/** An action plan: what it is, its commitments and how far they are. */
export function PlanDetail() {
  const { slug = '', id = '' } = useParams();
  const { t, i18n } = useTranslation();
  const { user } = useAuth();
  const lang = i18n.language as Locale;
  const path = { org: slug, id };
  const org = useOrg(slug);
  const plan = usePlan(slug, id);
  const overview = usePlanOverview(slug, id);
  const commitments = useCommitments(slug, id);
  const transition = useTransitionPlan();

  if (plan.isPending) return <Loading />;
  if (!plan.data) return <ErrorMessage error={plan.error} />;
  const p = plan.data.item;
  const fallback = org.data?.default_locale;
  const staff = canEdit(user, slug, p);
  const moves = nextStatuses(p.status).filter((s) => canTransition(user, slug, p, s));
  const busy = transition.isPending;
  const move = (to: PlanStatus) => transition.mutate({ params: { path }, body: { to } });
  const commitmentTitle = (cid: string) => commitments.data?.items.find((c) => c.id === cid)?.title;
  const milestoneList = (items: Schemas['OverviewMilestone'][]) => (
    <ul className="list">
      {items.map((m) => (
        <li key={m.milestone_id}>
          <Link to={`/o/${slug}/action-plans/${id}/commitments/${m.commitment_id}`}>
            <Localized text={m.title} fallback={fallback} />
          </Link>{' '}
          <span className="muted">
            (<Localized text={commitmentTitle(m.commitment_id)} fallback={fallback} />)
          </span>{' '}
          · {t('plans.due', { date: formatDate(m.end_date, lang, 'UTC') })} · <span className={`badge mstatus-${m.status}`}>{t(`plans.mstatus_${m.status}`)}</span>
        </li>
      ))}
    </ul>
  );

  return (
    <article>
      <p>
        <Link to={`/o/${slug}/action-plans`}>{t('plans.allPlans')}</Link>
      </p>
      <Localized as="h1" text={p.title} fallback={fallback} />
      <p>
        {t('plans.period', { from: formatDate(p.start_date, lang, 'UTC'), to: formatDate(p.end_date, lang, 'UTC') })} ·{' '}
        <span className={`badge plan-${p.status}`}>{t(`plans.status_${p.status}`)}</span>
      </p>
      <Localized as="p" text={p.description} fallback={fallback} />
      {staff && (
        <section aria-labelledby="plan-manage" className="panel">
          <h2 id="plan-manage">{t('plans.manage')}</h2>
          <div className="actions">
            <Link className="button-link" to={`/o/${slug}/action-plans/${id}/edit`}>
              {t('plans.editPlan')}
            </Link>
            <Link className="button-link" to={`/o/${slug}/action-plans/${id}/commitments/new`}>
              {t('plans.newCommitment')}
            </Link>
          </div>
          {moves.length > 0 && (
            <>
              <h3>{t('plans.changeStatus')}</h3>
              <div className="actions">
                {moves.map((s) => (
                  <button key={s} type="button" disabled={busy} className={s === 'draft' ? 'secondary' : undefined} onClick={() => move(s)}>
                    {t('plans.moveTo', { status: t(`plans.status_${s}`) })}
                  </button>
                ))}
              </div>
            </>
          )}
          <ErrorMessage error={transition.error} />
          <OgpImport slug={slug} planId={id} />
        </section>
      )}
      {p.documents.length > 0 && (
        <section aria-labelledby="plan-documents">
          <h2 id="plan-documents">{t('plans.documents')}</h2>
          <ul>
            {p.documents.map((d) => (
              <li key={d.url}>
                <a href={d.url}>{d.title}</a>
              </li>
            ))}
          </ul>
        </section>
      )}
      <section aria-labelledby="plan-progress">
        <h2 id="plan-progress">{t('plans.progress')}</h2>
        {overview.isPending && <Loading />}
        <ErrorMessage error={overview.error} />
        {overview.data && (
          <>
            <LevelChart byLevel={overview.data.by_level} />
            <h3>{t('plans.overdue')}</h3>
            {overview.data.overdue.length === 0 ? <p>{t('plans.noneOverdue')}</p> : milestoneList(overview.data.overdue)}
            <h3>{t('plans.dueSoon')}</h3>
            {overview.data.due_next_30_days.length === 0 ? <p>{t('plans.noneDueSoon')}</p> : milestoneList(overview.data.due_next_30_days)}
          </>
        )}
      </section>
      <section aria-labelledby="plan-commitments">
        <h2 id="plan-commitments">{t('plans.commitments')}</h2>
        {commitments.isPending && <Loading />}
        <ErrorMessage error={commitments.error} />
        {commitments.data &&
          (commitments.data.items.length === 0 ? (
            <p>{t('plans.noCommitments')}</p>
          ) : (
            <ul className="cards">
              {commitments.data.items.map((c) => (
                <li key={c.id} className="card">
                  <h3>
                    <Link to={`/o/${slug}/action-plans/${id}/commitments/${c.id}`}>
                      <Localized text={c.title} fallback={fallback} />
                    </Link>
                  </h3>
                  <p>
                    {t('plans.lead')}: {c.lead} · <CommentCount n={c.comment_count} />
                  </p>
                  {c.ogp_values.length > 0 && (
                    <ul className="tags" aria-label={t('plans.ogpValues')}>
                      {c.ogp_values.map((v) => (
                        <li key={v} className="badge">
                          {t(`plans.ogp_${v}`)}
                        </li>
                      ))}
                    </ul>
                  )}
                  <ProgressBar completion={c.completion} label={t('plans.completionOf', { title: c.title[lang] ?? Object.values(c.title).find(Boolean) ?? '' })} />
                </li>
              ))}
            </ul>
          ))}
      </section>
      <LinkedDocuments org={slug} type="action_plan" id={id} />
    </article>
  );
}
