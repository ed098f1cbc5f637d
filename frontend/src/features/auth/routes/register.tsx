import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { ErrorMessage, Field, Select } from '../../../components/ui';
import { fieldErrors } from '../../../lib/errors';
import { LANGUAGE_NAMES, LOCALES, type Locale } from '../../../lib/language';
import { useRegister } from '../api';

export function Register() {
  const { t, i18n } = useTranslation();
  const registering = useRegister();
  // Registration answers alike for a new and a taken address: what follows comes by e-mail.
  const [sentTo, setSentTo] = useState<string | null>(null);
  const { error, isPending: busy } = registering;

  const submit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    registering.mutate(
      {
        body: {
          email: String(form.get('email')),
          password: String(form.get('password')),
          display_name: String(form.get('display_name')),
          locale: String(form.get('locale')) as Locale,
        },
      },
      {
        onSuccess: () => setSentTo(String(form.get('email'))),
      },
    );
  };
  const fields = fieldErrors(error);
  if (sentTo) {
    return (
      <section className="narrow">
        <h1>{t('auth.checkEmailTitle')}</h1>
        <p role="status">{t('auth.checkEmail', { email: sentTo })}</p>
      </section>
    );
  }
  return (
    <section className="narrow">
      <h1>{t('auth.registerTitle')}</h1>
      <form onSubmit={submit} noValidate>
        <Field label={t('auth.displayName')} name="display_name" autoComplete="name" required error={fields.display_name} />
        <Field label={t('auth.email')} name="email" type="email" autoComplete="email" required error={fields.email} />
        <Field label={t('auth.password')} name="password" type="password" autoComplete="new-password" required hint={t('auth.passwordHint')} error={fields.password} />
        <Select label={t('auth.locale')} name="locale" defaultValue={i18n.language} error={fields.locale}>
          {LOCALES.map((l) => (
            <option key={l} value={l}>
              {LANGUAGE_NAMES[l]}
            </option>
          ))}
        </Select>
        <ErrorMessage error={error} />
        <button type="submit" disabled={busy}>
          {t('auth.submitRegister')}
        </button>
      </form>
      <p>
        {t('auth.haveAccount')} <Link to="/login">{t('nav.login')}</Link>
      </p>
    </section>
  );
}
