import { Fragment, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router-dom';
import { ErrorMessage, Field, Loading, Localized } from '../../../components/ui';
import { useAuth } from '../../../lib/auth';
import { fieldErrors } from '../../../lib/errors';
import { formatDate, formatNumber } from '../../../lib/format';
import { formatAmount } from '../../budget-execution/api';
import type { Locale } from '../../../lib/language';
import { canCreateOrg } from '../../../lib/permissions';
import { csvUrl, jsonUrl, useInvite, useProgramme, useProgrammeOverview, type MemberOverview } from '../api';
import '../programmes.css';

const LEVELS = ['not_started', 'limited', 'substantial', 'complete'] as const;

/** One member's figures: its action plans, answers to residents and latest budget. */
function MemberCard({ m }: { m: MemberOverview }) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language as Locale;
  const r = m.reports;
  const b = m.budget;
  const headingId = `member-${m.org.slug}`;
  const days = (seconds: number) => t('programmes.days', { value: formatNumber(Math.round((seconds / 86_400) * 10) / 10, lang) });
  return (
    <section className="programme-member" aria-labelledby={headingId}>
      <h2 id={headingId}>
        <Link to={`/o/${m.org.slug}`}>
          <Localized text={m.org.name} fallback="en" />
        </Link>
      </h2>
      <h3>{t('programmes.plans')}</h3>
      <dl className="figures">
        <dt>{t('programmes.commitments')}</dt>
        <dd>{m.action_plans.commitments}</dd>
        {LEVELS.map((l) => (
          <Fragment key={l}>
            <dt>{t(`programmes.level_${l}`)}</dt>
            <dd>{m.action_plans.by_level[l]}</dd>
          </Fragment>
        ))}
      </dl>
      <h4>{t('programmes.overdue')}</h4>
      {m.action_plans.overdue_milestones.length === 0 ? (
        <p>{t('programmes.noOverdue')}</p>
      ) : (
        <ul className="list">
          {m.action_plans.overdue_milestones.map((o) => (
            <li key={o.milestone_id}>
              <Localized text={o.title} fallback="en" /> · <time dateTime={o.end_date}>{formatDate(`${o.end_date}T12:00:00Z`, lang)}</time>
            </li>
          ))}
        </ul>
      )}
      <h3>{t('programmes.reports')}</h3>
      <dl className="figures">
        <dt>{t('programmes.received')}</dt>
        <dd>{formatNumber(r.received, lang)}</dd>
        <dt>{t('programmes.answered')}</dt>
        <dd>{formatNumber(r.answered, lang)}</dd>
        <dt>{t('programmes.inTime')}</dt>
        <dd>{r.in_time_percent == null ? t('programmes.notYet') : `${r.in_time_percent} %`}</dd>
        <dt>{t('programmes.median')}</dt>
        <dd>{r.median_first_answer_seconds == null ? t('programmes.notYet') : days(r.median_first_answer_seconds)}</dd>
      </dl>
      {b ? (
        <>
          <h3>{t('programmes.budget', { year: b.year })}</h3>
          <dl className="figures">
            <dt>{t('programmes.planned')}</dt>
            <dd>{formatAmount(b.planned, b.currency, lang)}</dd>
            <dt>{t('programmes.current')}</dt>
            <dd>{formatAmount(b.current, b.currency, lang)}</dd>
            <dt>{t('programmes.executed')}</dt>
            <dd>{formatAmount(b.executed, b.currency, lang)}</dd>
            <dt>{t('programmes.executedShare')}</dt>
            <dd>{b.executed_percent == null ? t('programmes.notYet') : `${b.executed_percent} %`}</dd>
          </dl>
        </>
      ) : (
        <p>{t('programmes.noBudget')}</p>
      )}
    </section>
  );
}

/** Platform admins invite municipalities and see every invitation's answer. */
function Invitations({ slug }: { slug: string }) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language as Locale;
  const detail = useProgramme(slug);
  const invite = useInvite();
  const fields = fieldErrors(invite.error);
  const submit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const el = e.currentTarget;
    const org = String(new FormData(el).get('org') ?? '').trim();
    invite.mutate({ params: { path: { programme: slug } }, body: { org } }, { onSuccess: () => { el.reset(); void detail.refetch(); } });
  };
  return (
    <section aria-labelledby="programme-invitations">
      <h2 id="programme-invitations">{t('programmes.allMembers')}</h2>
      <ul className="list">
        {detail.data?.members.map((m) => (
          <li key={m.org.id}>
            <Localized text={m.org.name} fallback="en" /> · {t(`programmes.status_${m.status}`)} · <time dateTime={m.invited_at}>{formatDate(m.invited_at, lang)}</time>
          </li>
        ))}
      </ul>
      <form onSubmit={submit} noValidate className="stack" aria-label={t('programmes.invite')}>
        <Field label={t('programmes.inviteOrg')} name="org" required error={fields.org} />
        {!fields.org && <ErrorMessage error={invite.error} />}
        <button type="submit" disabled={invite.isPending}>
          {t('programmes.inviteSend')}
        </button>
      </form>
    </section>
  );
}

/** The public programme page: its joined members side by side, with the figures to download. */
export default function ProgrammePage() {
  const { programme = '' } = useParams();
  const { t } = useTranslation();
  const { user } = useAuth();
  const overview = useProgrammeOverview(programme);
  if (overview.isPending) return <Loading />;
  if (!overview.data) return <ErrorMessage error={overview.error} />;
  const o = overview.data;
  return (
    <article>
      <p>
        <Link to="/programmes">{t('programmes.title')}</Link>
      </p>
      <Localized as="h1" text={o.programme.name} fallback="en" />
      <Localized as="p" text={o.programme.description} fallback="en" />
      <p>
        {t('programmes.download')}: <a href={csvUrl(programme)}>{t('programmes.csv')}</a> · <a href={jsonUrl(programme)}>{t('programmes.json')}</a>
      </p>
      {o.members.length === 0 ? (
        <p>{t('programmes.noMembers')}</p>
      ) : (
        <div className="programme-members" role="list" aria-label={t('programmes.members')}>
          {o.members.map((m) => (
            <div role="listitem" key={m.org.id}>
              <MemberCard m={m} />
            </div>
          ))}
        </div>
      )}
      {canCreateOrg(user) && <Invitations slug={programme} />}
    </article>
  );
}
