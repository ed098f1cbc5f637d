// A resident's page for verified residency: what the organisation asks for, their standing, and
// asking to be verified.
import { type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router-dom';
import { ErrorMessage, Loading, Localized, TextArea } from '../../../components/ui';
import { useAuth } from '../../../lib/auth';
import { fieldErrors } from '../../../lib/errors';
import type { Locale } from '../../../lib/language';
import { useAskResidency, useOrg, useResidency } from '../api';

export default function Residency() {
  const { slug = '' } = useParams();
  const { t, i18n } = useTranslation();
  const { user } = useAuth();
  const org = useOrg(slug);
  const standing = useResidency(slug, !!user);
  const asking = useAskResidency();
  const lang = i18n.language as Locale;
  const name = org.data ? (org.data.name[lang] ?? org.data.name[org.data.default_locale] ?? slug) : slug;
  const submit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const details = String(new FormData(e.currentTarget).get('details'));
    asking.mutate({ params: { path: { org: slug } }, body: { details } });
  };
  const fields = fieldErrors(asking.error);
  const s = standing.data;
  const latest = s?.latest_request;
  const canAsk = s && !s.verified && latest?.status !== 'pending';
  return (
    <section className="narrow">
      <h1>{t('residency.title')}</h1>
      <p>{t('residency.intro', { org: name })}</p>
      {user === undefined && <Loading />}
      {user === null && (
        <p>
          <Link to={`/login?next=${encodeURIComponent(`/o/${slug}/residency`)}`}>{t('residency.loginFirst')}</Link>
        </p>
      )}
      {standing.isPending && user && <Loading />}
      <ErrorMessage error={standing.error} />
      {s?.verified && <p role="status">{t('residency.verified', { org: name })}</p>}
      {latest?.status === 'pending' && <p role="status">{t('residency.pending', { org: name })}</p>}
      {latest?.status === 'refused' && !s?.verified && <p role="status">{t('residency.refused', { org: name, reason: latest.reason ?? '' })}</p>}
      {canAsk && (
        <form onSubmit={submit} noValidate>
          {Object.keys(s.prompt).length > 0 && (
            <>
              <h2>{t('residency.asks', { org: name })}</h2>
              <Localized text={s.prompt} as="p" />
            </>
          )}
          <TextArea label={t('residency.details')} name="details" rows={4} maxLength={2000} required error={fields.details} />
          {!fields.details && <ErrorMessage error={asking.error} />}
          <button type="submit" disabled={asking.isPending}>
            {t('residency.submit')}
          </button>
        </form>
      )}
    </section>
  );
}
