// The page an invitation's e-mailed link opens: what it invites to, and accepting it signed in
// with the invited address (or the way to sign in or create an account with it first).
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router-dom';
import { ErrorMessage, Loading } from '../../../components/ui';
import { api } from '../../../lib/api-client';
import { useAuth } from '../../../lib/auth';
import type { Locale } from '../../../lib/language';
import { useAcceptInvitation, useInvitationPreview } from '../api';

export function AcceptInvitation() {
  const { t, i18n } = useTranslation();
  const { user, setUser } = useAuth();
  const [params] = useSearchParams();
  const token = params.get('token') ?? '';
  const preview = useInvitationPreview(token);
  const accept = useAcceptInvitation();
  const here = `/invitations/accept?token=${encodeURIComponent(token)}`;
  const inv = preview.data;
  const lang = i18n.language as Locale;
  const org = inv ? (inv.org_name[lang] ?? inv.org_name[Object.keys(inv.org_name)[0] as Locale] ?? inv.org_slug) : '';
  const onAccept = () =>
    accept.mutate(
      { body: { token } },
      {
        onSuccess: async () => {
          const me = await api.GET('/api/v1/me');
          if (me.data) setUser(me.data);
        },
      },
    );
  return (
    <section className="narrow">
      <h1>{t('invitation.title')}</h1>
      {!token && <p role="alert" className="error">{t('errors.invalid-token')}</p>}
      {(preview.isPending && token !== '') || user === undefined ? <Loading /> : null}
      {!accept.isSuccess && <ErrorMessage error={preview.error} />}
      {inv && (
        <>
          <p>{t('invitation.intro', { org, email: inv.email, roles: inv.roles.map((r) => t(`roles.${r}`)).join(', ') })}</p>
          {accept.isSuccess ? (
            <p role="status">
              {t('invitation.accepted', { org })} <Link to={`/o/${inv.org_slug}`}>{t('invitation.toOrg', { org })}</Link>
            </p>
          ) : user === null ? (
            <p>
              {t('invitation.signIn', { email: inv.email })} <Link to={`/login?next=${encodeURIComponent(here)}`}>{t('invitation.login')}</Link> ·{' '}
              <Link to="/register">{t('invitation.register')}</Link>
            </p>
          ) : user && user.email.toLowerCase() !== inv.email ? (
            <p role="alert">{t('invitation.otherAccount', { current: user.email, email: inv.email })}</p>
          ) : user ? (
            <>
              <button type="button" onClick={onAccept} disabled={accept.isPending}>
                {t('invitation.accept')}
              </button>
              <ErrorMessage error={accept.error} />
            </>
          ) : null}
        </>
      )}
    </section>
  );
}
