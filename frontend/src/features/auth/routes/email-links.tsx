// The pages e-mailed links open: confirming the address (which signs the user in), asking for a
// password reset link, choosing a new password, and confirming a new address.
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router-dom';
import { ErrorMessage, Field, Loading } from '../../../components/ui';
import { useAuth } from '../../../lib/auth';
import { fieldErrors } from '../../../lib/errors';
import { useConfirmEmailChange, useRequestPasswordReset, useResetPassword, useVerifyEmail } from '../api';

/**
 * Runs `run` once for the page's token (not again when React re-mounts in development), once the
 * session the page loaded with is known: restoring it answers "signed out" and must not land after
 * the session the link starts.
 */
function useOnceForToken(run: (token: string) => void) {
  const { user } = useAuth();
  const ready = user !== undefined;
  const [params] = useSearchParams();
  const token = params.get('token') ?? '';
  const done = useRef<string | null>(null);
  const latest = useRef(run);
  useEffect(() => {
    latest.current = run;
  });
  useEffect(() => {
    if (ready && token && done.current !== token) {
      done.current = token;
      latest.current(token);
    }
  }, [ready, token]);
  return token;
}

export function VerifyEmail() {
  const { t } = useTranslation();
  const { signIn } = useAuth();
  const verify = useVerifyEmail();
  const [name, setName] = useState<string | null>(null);
  const token = useOnceForToken((token) =>
    verify.mutate(
      { body: { token } },
      {
        onSuccess: (session) => {
          signIn(session);
          setName(session.user.display_name);
        },
      },
    ),
  );
  return (
    <section className="narrow">
      <h1>{t('auth.verifyTitle')}</h1>
      {!token && <p role="alert" className="error">{t('errors.invalid-token')}</p>}
      {verify.isPending && <Loading />}
      <ErrorMessage error={verify.error} />
      {name && (
        <>
          <p role="status">{t('auth.verifyDone', { name })}</p>
          <p>
            <Link to="/">{t('auth.verifyContinue')}</Link>
          </p>
        </>
      )}
    </section>
  );
}

export function ForgotPassword() {
  const { t } = useTranslation();
  const request = useRequestPasswordReset();
  const [sentTo, setSentTo] = useState<string | null>(null);
  const submit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const email = String(new FormData(e.currentTarget).get('email'));
    request.mutate({ body: { email } }, { onSuccess: () => setSentTo(email) });
  };
  const fields = fieldErrors(request.error);
  return (
    <section className="narrow">
      <h1>{t('auth.forgotTitle')}</h1>
      {sentTo ? (
        <p role="status">{t('auth.forgotSent', { email: sentTo })}</p>
      ) : (
        <>
          <p>{t('auth.forgotIntro')}</p>
          <form onSubmit={submit} noValidate>
            <Field label={t('auth.email')} name="email" type="email" autoComplete="email" required error={fields.email} />
            <ErrorMessage error={request.error} />
            <button type="submit" disabled={request.isPending}>
              {t('auth.forgotSubmit')}
            </button>
          </form>
        </>
      )}
    </section>
  );
}

export function ResetPassword() {
  const { t } = useTranslation();
  const [params] = useSearchParams();
  const token = params.get('token') ?? '';
  const reset = useResetPassword();
  const submit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    reset.mutate({ body: { token, new_password: String(new FormData(e.currentTarget).get('new_password')) } });
  };
  const fields = fieldErrors(reset.error);
  return (
    <section className="narrow">
      <h1>{t('auth.resetTitle')}</h1>
      {!token ? (
        <p role="alert" className="error">
          {t('auth.resetNoToken')} <Link to="/forgot-password">{t('auth.forgotLink')}</Link>
        </p>
      ) : reset.isSuccess ? (
        <p role="status">
          {t('auth.resetDone')} <Link to="/login">{t('nav.login')}</Link>
        </p>
      ) : (
        <form onSubmit={submit} noValidate>
          <Field label={t('profile.newPassword')} name="new_password" type="password" autoComplete="new-password" required hint={t('auth.passwordHint')} error={fields.new_password} />
          <ErrorMessage error={reset.error} />
          <button type="submit" disabled={reset.isPending}>
            {t('auth.resetSubmit')}
          </button>
        </form>
      )}
    </section>
  );
}

export function ConfirmEmail() {
  const { t } = useTranslation();
  const { user, setUser } = useAuth();
  const confirm = useConfirmEmailChange();
  const [email, setEmail] = useState<string | null>(null);
  const token = useOnceForToken((token) =>
    confirm.mutate(
      { body: { token } },
      {
        onSuccess: (me) => {
          if (user?.id === me.id) setUser(me);
          setEmail(me.email);
        },
      },
    ),
  );
  return (
    <section className="narrow">
      <h1>{t('auth.confirmEmailTitle')}</h1>
      {!token && <p role="alert" className="error">{t('errors.invalid-token')}</p>}
      {confirm.isPending && <Loading />}
      <ErrorMessage error={confirm.error} />
      {email && <p role="status">{t('auth.confirmEmailDone', { email })}</p>}
    </section>
  );
}
