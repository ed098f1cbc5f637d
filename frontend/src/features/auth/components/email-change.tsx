// Changing the account's address: a link goes to the new one; the account keeps the current
// address until that link is opened.
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorMessage, Field } from '../../../components/ui';
import { fieldErrors } from '../../../lib/errors';
import { useRequestEmailChange } from '../api';

export function EmailChange() {
  const { t } = useTranslation();
  const change = useRequestEmailChange();
  const [sent, setSent] = useState(false);
  const submit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const form = e.currentTarget;
    const data = new FormData(form);
    change.mutate(
      { body: { new_email: String(data.get('new_email')), current_password: String(data.get('current_password')) } },
      {
        onSuccess: () => {
          setSent(true);
          form.reset();
        },
      },
    );
  };
  const fields = fieldErrors(change.error);
  return (
    <>
      <h2>{t('profile.emailTitle')}</h2>
      <form onSubmit={submit} noValidate>
        <Field label={t('profile.newEmail')} name="new_email" type="email" autoComplete="email" required error={fields.new_email} />
        <Field label={t('profile.currentPassword')} name="current_password" type="password" autoComplete="current-password" required />
        <ErrorMessage error={change.error} />
        {sent && <p role="status">{t('profile.emailSent')}</p>}
        <button type="submit" disabled={change.isPending}>
          {t('profile.changeEmail')}
        </button>
      </form>
    </>
  );
}
