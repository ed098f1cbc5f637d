import { useTranslation } from 'react-i18next';
import { Link, Navigate, useParams } from 'react-router-dom';
import { ErrorMessage, Loading, Localized } from '../../../components/ui';
import { useAuth } from '../../../lib/auth';
import { formatDate } from '../../../lib/format';
import type { Locale } from '../../../lib/language';
import { canAnswerProgrammes, canSeeStaffView } from '../../../lib/permissions';
import { useDecide, useOrgProgrammes } from '../api';

/** An organisation's programmes and invitations; its admins join or decline. */
export default function OrgProgrammes() {
  const { slug = '' } = useParams();
  const { t, i18n } = useTranslation();
  const lang = i18n.language as Locale;
  const { user } = useAuth();
  const staff = canSeeStaffView(user, slug);
  const list = useOrgProgrammes(slug, staff);
  const decide = useDecide();
  if (user === undefined) return <Loading />;
  if (user === null) return <Navigate to={`/login?next=/o/${slug}/admin/programmes`} />;
  if (!staff) return <p role="alert">{t('admin.forbidden')}</p>;
  const admin = canAnswerProgrammes(user, slug);
  return (
    <article>
      <p>
        <Link to={`/o/${slug}`}>{t('common.back')}</Link>
      </p>
      <h1>{t('programmes.orgTitle')}</h1>
      <p>{t('programmes.orgIntro')}</p>
      {!admin && <p>{t('programmes.onlyAdmins')}</p>}
      {list.isPending ? (
        <Loading />
      ) : !list.data ? (
        <ErrorMessage error={list.error} />
      ) : list.data.items.length === 0 ? (
        <p>{t('programmes.orgNone')}</p>
      ) : (
        <ul className="list">
          {list.data.items.map((i) => (
            <li key={i.programme.id}>
              <Link to={`/programmes/${i.programme.slug}`}>
                <Localized text={i.programme.name} fallback="en" />
              </Link>{' '}
              · {t(`programmes.status_${i.status}`)} · <time dateTime={i.invited_at}>{formatDate(i.invited_at, lang)}</time>
              {admin && i.status === 'invited' && (
                <span className="actions">
                  {' '}
                  <button type="button" disabled={decide.isPending} onClick={() => decide.mutate({ params: { path: { org: slug, programme: i.programme.slug } }, body: { join: true } })}>
                    {t('programmes.accept')}
                  </button>{' '}
                  <button type="button" disabled={decide.isPending} onClick={() => decide.mutate({ params: { path: { org: slug, programme: i.programme.slug } }, body: { join: false } })}>
                    {t('programmes.decline')}
                  </button>
                </span>
              )}
            </li>
          ))}
        </ul>
      )}
      <ErrorMessage error={decide.error} />
    </article>
  );
}
