import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { ErrorMessage, Loading, Localized } from '../../../components/ui';
import { useOrgs } from '../api';

export function Landing() {
  const { t } = useTranslation();
  const orgs = useOrgs();
  return (
    <section>
      <h1>{t('orgs.title')}</h1>
      <p className="lead">{t('orgs.intro')}</p>
      {/* Above the cards, which arrive after the first paint: nothing below them moves when they do. */}
      <p>
        <Link to="/programmes">{t('nav.programmes')}</Link>
      </p>
      {orgs.isPending && <Loading />}
      <ErrorMessage error={orgs.error} />
      <ul className="cards">
        {orgs.data?.items.map((o) => (
          <li key={o.id} className="card">
            <h2>
              <Link to={`/o/${o.slug}`}>
                <Localized text={o.name} fallback={o.default_locale} />
              </Link>
            </h2>
            <Localized as="p" text={o.description} fallback={o.default_locale} />
          </li>
        ))}
      </ul>
    </section>
  );
}
