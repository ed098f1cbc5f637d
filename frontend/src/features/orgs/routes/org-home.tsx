import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router-dom';
import { ErrorMessage, Loading, Localized } from '../../../components/ui';
import { useAuth } from '../../../lib/auth';
import { formatDateTime } from '../../../lib/format';
import { chosenLanguage } from '../../../lib/i18n';
import { toLocale, type Locale } from '../../../lib/language';
import { canManageMembers, canModerate, canSeeStaffView, canVerifyResidents } from '../../../lib/permissions';
import { useOpenConsultations, useOrg, useUpcomingMeetings } from '../api';
import { BudgetsNow, PlanNow } from '../components/now';

/** A municipality's home: who it is and what is happening now. */
export function OrgHome() {
  const { slug = '' } = useParams();
  const { t, i18n } = useTranslation();
  const { user } = useAuth();
  const org = useOrg(slug);
  const meetings = useUpcomingMeetings(slug);
  const consultations = useOpenConsultations(slug);
  const lang = i18n.language as Locale;

  // With no profile, no choice and no browser match, speak the municipality's language.
  useEffect(() => {
    const browserMatch = navigator.languages.some((l) => toLocale(l));
    if (org.data && user === null && !chosenLanguage() && !browserMatch) void i18n.changeLanguage(org.data.default_locale);
  }, [org.data, user, i18n]);

  if (org.isPending) return <Loading />;
  if (!org.data) return <ErrorMessage error={org.error} />;
  const o = org.data;
  const isAdmin = canManageMembers(user, slug);
  return (
    <article>
      <header className="org-header">
        {o.logo && <img className="org-logo" src={`${o.logo.url}?width=320`} alt={t('branding.logoOf')} height={64} />}
        <Localized as="h1" text={o.name} fallback={o.default_locale} />
        <Localized as="p" text={o.description} fallback={o.default_locale} />
        <nav aria-label={t('nav.home')} className="subnav">
          <Link to={`/o/${slug}/action-plans`}>{t('plans.nav')}</Link>
          <Link to={`/o/${slug}/meetings`}>{t('nav.meetings')}</Link>
          <Link to={`/o/${slug}/consultations`}>{t('nav.consultations')}</Link>
          <Link to={`/o/${slug}/budgets`}>{t('budgets.nav')}</Link>
          <Link to={`/o/${slug}/reports`}>{t('reports.nav')}</Link>
          <Link to={`/o/${slug}/budget-execution`}>{t('budgetExecution.nav')}</Link>
          {canSeeStaffView(user, slug) && <Link to={`/o/${slug}/workspace`}>{t('workspace.title')}</Link>}
          {isAdmin && <Link to={`/o/${slug}/admin/members`}>{t('nav.members')}</Link>}
          {isAdmin && <Link to={`/o/${slug}/admin/settings`}>{t('orgSettings.title')}</Link>}
          {canSeeStaffView(user, slug) && <Link to={`/o/${slug}/admin/programmes`}>{t('programmes.orgTitle')}</Link>}
          {user && <Link to={`/o/${slug}/residency`}>{t('residency.link')}</Link>}
          {canVerifyResidents(user, slug) && <Link to={`/o/${slug}/admin/residency`}>{t('residency.staffTitle')}</Link>}
          <Link to={`/o/${slug}/audit-log`}>{t('audit.title')}</Link>
          <Link to={`/o/${slug}/open-data`}>{t('openData.nav')}</Link>
          <Link to={`/o/${slug}/documents`}>{t('library.nav')}</Link>
          <Link to={`/o/${slug}/pages`}>{t('pages.nav')}</Link>
          {canModerate(user, slug) && <Link to={`/o/${slug}/admin/moderation`}>{t('nav.moderation')}</Link>}
        </nav>
      </header>
      {(meetings.data?.items.length ?? 0) > 0 && (
        <section aria-labelledby="upcoming-meetings">
          <h2 id="upcoming-meetings">{t('orgs.upcomingMeetings')}</h2>
          <ul className="list">
            {meetings.data?.items.map((m) => (
              <li key={m.id}>
                <Link to={`/o/${slug}/meetings/${m.id}`}>
                  <Localized text={m.title} fallback={o.default_locale} />
                </Link>{' '}
                <time dateTime={m.starts_at}>{formatDateTime(m.starts_at, lang, o.time_zone)}</time>
              </li>
            ))}
          </ul>
        </section>
      )}
      {(consultations.data?.items.length ?? 0) > 0 && (
        <section aria-labelledby="open-consultations">
          <h2 id="open-consultations">{t('orgs.openConsultations')}</h2>
          <ul className="list">
            {consultations.data?.items.map((c) => (
              <li key={c.id}>
                <Link to={`/o/${slug}/consultations/${c.id}`}>
                  <Localized text={c.title} fallback={o.default_locale} />
                </Link>
              </li>
            ))}
          </ul>
        </section>
      )}
      <BudgetsNow slug={slug} fallback={o.default_locale} />
      <PlanNow slug={slug} fallback={o.default_locale} />
    </article>
  );
}
