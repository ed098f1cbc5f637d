import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { ErrorMessage, Loading, Localized } from '../../../components/ui';
import { api } from '../../../lib/api-client';
import { useApi } from '../../../lib/use-api';

export function Landing() {
  const { t } = useTranslation();
  const orgs = useApi(() => api.GET('/api/v1/orgs', { params: { query: { limit: 100 } } }), []);
  return (
    <section>
      <h1>{t('orgs.title')}</h1>
      <p className="lead">{t('orgs.intro')}</p>
      {orgs.loading && <Loading />}
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
