import type { FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, Navigate } from 'react-router-dom';
import { ErrorMessage, Field, Loading, Select } from '../../../components/ui';
import { useAuth } from '../../../lib/auth';
import { fieldErrors } from '../../../lib/errors';
import { canManageMembers } from '../../../lib/permissions';
import { rememberLanguage } from '../../../lib/i18n';
import { LANGUAGE_NAMES, LOCALES, type Locale } from '../../../lib/language';
import { useChangePassword, useUpdateProfile } from '../api';
import { EmailChange } from '../components/email-change';
import { ApiTokens } from '../components/api-tokens';
import { DataExport, DeleteAccount } from '../components/personal-data';

export function Profile() {
  const { t, i18n } = useTranslation();
  const { user, setUser } = useAuth();
  const updating = useUpdateProfile();
  const changing = useChangePassword();
  const { error, isSuccess: saved } = updating;
  const { error: pwError, isSuccess: pwDone } = changing;
  if (user === undefined) return <Loading />;
  if (user === null) return <Navigate to="/login?next=/profile" />;

  const save = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    const locale = String(form.get('locale')) as Locale;
    updating.mutate(
      { body: { display_name: String(form.get('display_name')), locale } },
      {
        onSuccess: async (me) => {
          setUser(me);
          rememberLanguage(locale);
          await i18n.changeLanguage(locale);
        },
      },
    );
  };
  const changePassword = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const formEl = e.currentTarget;
    const form = new FormData(formEl);
    changing.mutate(
      { body: { current_password: String(form.get('current_password')), new_password: String(form.get('new_password')) } },
      { onSuccess: () => formEl.reset() },
    );
  };
  const fields = fieldErrors(error);
  const pwFields = fieldErrors(pwError);
  return (
    <section className="narrow">
      <h1>{t('profile.title')}</h1>
      <form onSubmit={save} noValidate>
        <Field label={t('auth.displayName')} name="display_name" defaultValue={user.display_name} required error={fields.display_name} />
        <Select label={t('auth.locale')} name="locale" defaultValue={user.locale}>
          {LOCALES.map((l) => (
            <option key={l} value={l}>
              {LANGUAGE_NAMES[l]}
            </option>
          ))}
        </Select>
        <ErrorMessage error={error} />
        {saved && <p role="status">{t('common.saved')}</p>}
        <button type="submit">{t('common.save')}</button>
      </form>
      {user.memberships.length > 0 && (
        <>
          <h2>{t('profile.roles')}</h2>
          <ul>
            {user.memberships.map((m) => (
              <li key={m.org_id}>
                <Link to={`/o/${m.org_slug}`}>{m.org_slug}</Link>: {[...m.roles.map((r) => t(`roles.${r}`)), ...(m.verified ? [t('roles.verified')] : [])].join(', ')}
                {canManageMembers(user, m.org_slug) && (
                  <>
                    {' '}
                    – <Link to={`/o/${m.org_slug}/admin/members`}>{t('nav.members')}</Link>
                  </>
                )}
              </li>
            ))}
          </ul>
        </>
      )}
      <h2>{t('profile.passwordTitle')}</h2>
      <form onSubmit={changePassword} noValidate>
        <Field label={t('profile.currentPassword')} name="current_password" type="password" autoComplete="current-password" required />
        <Field label={t('profile.newPassword')} name="new_password" type="password" autoComplete="new-password" required hint={t('auth.passwordHint')} error={pwFields.new_password} />
        <ErrorMessage error={pwError} />
        {pwDone && <p role="status">{t('profile.passwordChanged')}</p>}
        <button type="submit">{t('profile.changePassword')}</button>
      </form>
      <EmailChange />
      <ApiTokens />
      <DataExport />
      <DeleteAccount />
    </section>
  );
}
