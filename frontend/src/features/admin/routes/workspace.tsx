import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, Navigate, useParams } from 'react-router-dom';
import { ErrorMessage, Loading, Localized } from '../../../components/ui';
import { useAuth } from '../../../lib/auth';
import { formatDate, formatDateTime } from '../../../lib/format';
import type { Locale } from '../../../lib/language';
import { canCreate, canModerate, canSeeStaffView } from '../../../lib/permissions';
import { useOrg, useWorkspace } from '../api';

/** One kind of waiting item: its heading with the total, the items, and "nothing waits". */
function Waiting({ id, title, total, children }: { id: string; title: string; total: number; children: ReactNode }) {
  const { t } = useTranslation();
  return (
    <section aria-labelledby={id} className="panel">
      <h2 id={id}>
        {title} <span className="badge">{total}</span>
      </h2>
      {total === 0 ? <p>{t('workspace.nothing')}</p> : <ul className="list">{children}</ul>}
      {total > 20 && <p className="hint">{t('workspace.more', { count: total - 20 })}</p>}
    </section>
  );
}

/** The staff's entry point: what waits for them in the organisation, and where they work. */
export default function Workspace() {
  const { slug = '' } = useParams();
  const { t, i18n } = useTranslation();
  const lang = i18n.language as Locale;
  const { user } = useAuth();
  const staff = canSeeStaffView(user, slug);
  const org = useOrg(slug);
  const w = useWorkspace(slug, staff);
  if (user === undefined) return <Loading />;
  if (user === null) return <Navigate to={`/login?next=/o/${slug}/workspace`} />;
  if (!staff) return <p role="alert">{t('admin.forbidden')}</p>;
  const zone = org.data?.time_zone;
  const fallback = org.data?.default_locale;
  const d = w.data;
  return (
    <section>
      <p>
        <Link to={`/o/${slug}`}>{t('common.back')}</Link>
      </p>
      <h1>{t('workspace.title')}</h1>
      {org.data && <Localized as="p" text={org.data.name} fallback={fallback} />}
      <nav aria-label={t('workspace.tools')} className="subnav">
        {canCreate(user, slug) && (
          <>
            <Link to={`/o/${slug}/consultations/new`}>{t('consultationForm.newTitle')}</Link>
            <Link to={`/o/${slug}/budgets/new`}>{t('budgetForm.newTitle')}</Link>
            <Link to={`/o/${slug}/meetings/new`}>{t('meetingStaff.newTitle')}</Link>
            <Link to={`/o/${slug}/surveys`}>{t('surveyList.title')}</Link>
          </>
        )}
        {canModerate(user, slug) && <Link to={`/o/${slug}/admin/moderation`}>{t('nav.moderation')}</Link>}
        <Link to={`/o/${slug}/audit-log`}>{t('audit.title')}</Link>
      </nav>
      {w.isPending && <Loading />}
      <ErrorMessage error={w.error} />
      {d && (
        <>
          <Waiting id="ws-proposals" title={t('workspace.proposals')} total={d.proposals_to_review.total}>
            {d.proposals_to_review.items.map((p) => (
              <li key={p.proposal_id}>
                <Link to={`/o/${slug}/budgets/${p.budget_id}/proposals/${p.proposal_id}`}>
                  <Localized text={p.title} fallback={fallback} />
                </Link>{' '}
                · <Localized text={p.budget_title} fallback={fallback} /> · {formatDate(p.submitted_at, lang, zone)}
              </li>
            ))}
          </Waiting>
          <Waiting id="ws-opinions" title={t('workspace.opinions')} total={d.unanswered_opinions.total}>
            {d.unanswered_opinions.items.map((o) => (
              <li key={o.opinion_id}>
                <Link to={`/o/${slug}/consultations/${o.consultation_id}`}>
                  <Localized text={o.consultation_title} fallback={fallback} />
                </Link>{' '}
                · {formatDateTime(o.given_at, lang, zone)}
                <br />
                <q>{o.excerpt}</q>
              </li>
            ))}
          </Waiting>
          <Waiting id="ws-minutes" title={t('workspace.minutes')} total={d.meetings_without_minutes.total}>
            {d.meetings_without_minutes.items.map((m) => (
              <li key={m.meeting_id}>
                <Link to={`/o/${slug}/meetings/${m.meeting_id}/manage`}>
                  <Localized text={m.title} fallback={fallback} />
                </Link>{' '}
                · {t('workspace.ended', { when: formatDateTime(m.ended_at, lang, zone) })}
              </li>
            ))}
          </Waiting>
          <Waiting id="ws-milestones" title={t('workspace.milestones')} total={d.overdue_milestones.total}>
            {d.overdue_milestones.items.map((m) => (
              <li key={m.milestone_id}>
                <Link to={`/o/${slug}/action-plans/${m.plan_id}/commitments/${m.commitment_id}`}>
                  <Localized text={m.title} fallback={fallback} />
                </Link>{' '}
                · <Localized text={m.commitment_title} fallback={fallback} /> · {t('workspace.due', { when: formatDate(m.end_date, lang, 'UTC') })}
              </li>
            ))}
          </Waiting>
          <Waiting id="ws-reports" title={t('reports.workspaceTitle')} total={d.overdue_reports.total}>
            {d.overdue_reports.items.map((r) => (
              <li key={r.report_id}>
                <Link to={`/o/${slug}/reports/${r.report_id}`}>{r.title}</Link> · <Localized text={r.category_name} fallback={fallback} /> · {r.department} ·{' '}
                {t('reports.answerDue', { date: formatDate(r.answer_due, lang, zone) })}
              </li>
            ))}
          </Waiting>
          <p>
            <Link to={`/o/${slug}/reports/queue`}>{t('reports.queue')}</Link>
          </p>
        </>
      )}
    </section>
  );
}
