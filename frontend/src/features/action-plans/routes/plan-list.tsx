import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router-dom';
import { ErrorMessage, Loading, Localized } from '../../../components/ui';
import { useAuth } from '../../../lib/auth';
import { formatDate } from '../../../lib/format';
import type { Locale } from '../../../lib/language';
import { canCreate } from '../../../lib/permissions';
import { useOrg, usePlans } from '../api';

/** A municipality's action plans, newest first; drafts only reach staff. */
export function PlanList() {
  const { slug = '' } = useParams();
  const { t, i18n } = useTranslation();
  const { user } = useAuth();
  const lang = i18n.language as Locale;
  const org = useOrg(slug);
  const list = usePlans(slug);
  const staff = canCreate(user, slug);
  return (
    <section>
      <p>
        <Link to={`/o/${slug}`}>{t('common.back')}</Link>
      </p>
      <h1>{t('plans.title')}</h1>
      <p className="lead">{t('plans.intro')}</p>
      {staff && (
        <p>
          <Link className="button-link" to={`/o/${slug}/action-plans/new`}>
            {t('plans.newPlan')}
          </Link>
        </p>
      )}
      {list.isPending && <Loading />}
      <ErrorMessage error={list.error} />
      {list.data &&
        (list.data.items.length === 0 ? (
          <p>{t('plans.noPlans')}</p>
        ) : (
          <ul className="cards">
            {list.data.items.map((p) => (
              <li key={p.id} className="card">
                <h2>
                  <Link to={`/o/${slug}/action-plans/${p.id}`}>
                    <Localized text={p.title} fallback={org.data?.default_locale} />
                  </Link>
                </h2>
                <p>
                  {t('plans.period', { from: formatDate(p.start_date, lang, 'UTC'), to: formatDate(p.end_date, lang, 'UTC') })}
                  <br />
                  <span className={`badge plan-${p.status}`}>{t(`plans.status_${p.status}`)}</span>
                </p>
              </li>
            ))}
          </ul>
        ))}
    </section>
  );
}
