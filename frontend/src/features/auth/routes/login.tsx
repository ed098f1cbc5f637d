import type { FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useSearchParams } from 'react-router-dom';
import { ErrorMessage, Field } from '../../../components/ui';
import { useAuth } from '../../../lib/auth';
import { fieldErrors } from '../../../lib/errors';
import { useLogin } from '../api';

export function Login() {
  const { t } = useTranslation();
  const { signIn } = useAuth();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const login = useLogin();
  const { error, isPending: busy } = login;

  const submit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    login.mutate(
      { body: { email: String(form.get('email')), password: String(form.get('password')) } },
      {
        onSuccess: (session) => {
          signIn(session);
          void navigate(params.get('next') ?? '/');
        },
      },
    );
  };
  const fields = fieldErrors(error);
  return (
    <section className="narrow">
      <h1>{t('auth.loginTitle')}</h1>
      {params.get('expired') && <p role="status" className="notice">{t('auth.sessionExpired')}</p>}
      <form onSubmit={submit} noValidate>
        <Field label={t('auth.email')} name="email" type="email" autoComplete="email" required error={fields.email} />
        <Field label={t('auth.password')} name="password" type="password" autoComplete="current-password" required error={fields.password} />
        <ErrorMessage error={error} />
        <button type="submit" disabled={busy}>
          {t('auth.submitLogin')}
        </button>
      </form>
      <p>
        <Link to="/forgot-password">{t('auth.forgotLink')}</Link>
      </p>
      <p>
        {t('auth.noAccount')} <Link to="/register">{t('nav.register')}</Link>
      </p>
    </section>
  );
}
