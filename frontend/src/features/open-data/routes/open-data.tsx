import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router-dom';
import { ErrorMessage, Loading, Localized } from '../../../components/ui';
import { useAuth } from '../../../lib/auth';
import { formatDate } from '../../../lib/format';
import { canEditOrg } from '../../../lib/permissions';
import type { Locale } from '../../../lib/language';
import { useOpenData, useOrg } from '../api';
import { LicenceSettings, RetentionSettings } from '../components/data-settings';

/** Every public collection of the organisation with its download formats, the licence and the catalogue. */
export default function OpenData() {
  const { slug = '' } = useParams();
  const { t, i18n } = useTranslation();
  const org = useOrg(slug);
  const data = useOpenData(slug);
  const { user } = useAuth();
  if (data.isPending || org.isPending) return <Loading />;
  if (!data.data || !org.data) return <ErrorMessage error={data.error ?? org.error} />;
  const d = data.data;
  const o = org.data;
  return (
    <section>
      <p>
        <Link to={`/o/${slug}`}>{t('common.back')}</Link>
      </p>
      <h1>{t('openData.title')}</h1>
      <p>{t('openData.intro')}</p>
      <p>
        {t('openData.licence')} <a href={d.licence}>{licenceName(d.licence)}</a>
      </p>
      <p>
        <a href={d.catalogue_url}>{t('openData.catalogue')}</a> {t('openData.catalogueNote')}
      </p>
      <ul className="list">
        {d.datasets.map((ds) => (
          <li key={ds.slug}>
            <Localized as="h2" text={ds.title} fallback={o.default_locale} />
            <Localized as="p" text={ds.description} fallback={o.default_locale} />
            <p>
              {t('openData.records', { count: ds.rows })} · {t('openData.modified')}{' '}
              <time dateTime={ds.modified}>{formatDate(ds.modified, i18n.language as Locale, o.time_zone)}</time>
            </p>
            <p>
              {t('openData.download')}{' '}
              {ds.distributions.map((dist, i) => (
                <span key={dist.url}>
                  {i > 0 && ', '}
                  <a href={dist.url} download>
                    {dist.label ? `${dist.format} (${dist.label.slice(0, 8)})` : dist.format}
                    <span className="visually-hidden">
                      {' '}
                      – <Localized text={ds.title} fallback={o.default_locale} />
                    </span>
                  </a>
                </span>
              ))}
            </p>
          </li>
        ))}
      </ul>
      {canEditOrg(user, slug) && (
        <>
          <LicenceSettings slug={slug} licence={d.licence} />
          <RetentionSettings slug={slug} />
        </>
      )}
    </section>
  );
}

function licenceName(url: string): string {
  if (url.includes('creativecommons.org/licenses/by/4.0')) return 'CC BY 4.0';
  if (url.includes('creativecommons.org/publicdomain/zero/1.0')) return 'CC0 1.0';
  return url;
}
