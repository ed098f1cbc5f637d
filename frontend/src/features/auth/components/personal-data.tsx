import { useMutation } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router-dom';
import { ErrorMessage, Field } from '../../../components/ui';
import { api } from '../../../lib/api-client';
import { useAuth } from '../../../lib/auth';
import { saveBlob } from '../../../lib/download';
import { fieldErrors } from '../../../lib/errors';
import { formatDateTime } from '../../../lib/format';
import type { Locale } from '../../../lib/language';
import { ok } from '../../../lib/query';
import { useDataExport, useDeleteAccount, useRequestDataExport } from '../api';

/** "Download my data": ask for the archive, wait while the server makes it, download it. */
export function DataExport() {
  const { t, i18n } = useTranslation();
  const lang = i18n.language as Locale;
  const current = useDataExport();
  const requesting = useRequestDataExport();
  const download = useMutation({
    mutationFn: () => ok(api.GET('/api/v1/me/data-export/archive', { parseAs: 'blob' })),
    onSuccess: (data: Blob) => saveBlob(data, 'my-pnyx-data.json'),
  });
  const exp = current.data;
  return (
    <section aria-labelledby="my-data">
      <h2 id="my-data">{t('privacy.dataTitle')}</h2>
      <p>{t('privacy.dataIntro')}</p>
      <p className="hint">{t('privacy.dataNotice')}</p>
      {exp?.status === 'pending' && <p role="status">{t('privacy.dataPending')}</p>}
      {exp?.status === 'ready' && exp.expires_at && (
        <p role="status">{t('privacy.dataReady', { until: formatDateTime(exp.expires_at, lang) })}</p>
      )}
      <ErrorMessage error={requesting.error ?? download.error} />
      {exp?.status === 'ready' ? (
        <button type="button" disabled={download.isPending} onClick={() => download.mutate()}>
          {t('privacy.dataDownload')}
        </button>
      ) : (
        <button type="button" disabled={requesting.isPending || exp?.status === 'pending'} onClick={() => requesting.mutate({})}>
          {t('privacy.dataRequest')}
        </button>
      )}
    </section>
  );
}

/** "Delete my account": the consequences, the password, and whether to remove what was published. */
export function DeleteAccount() {
  const { t } = useTranslation();
  const { signOut } = useAuth();
  const navigate = useNavigate();
  const deleting = useDeleteAccount();
  const [confirmed, setConfirmed] = useState(false);
  const submit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    deleting.mutate(
      { body: { password: String(form.get('password')), remove_content: form.get('remove_content') === 'on' } },
      {
        onSuccess: async () => {
          // Away from the profile first: it sends the signed-out to the login page.
          navigate('/account-deleted', { replace: true });
          await signOut();
        },
      },
    );
  };
  const fields = fieldErrors(deleting.error);
  return (
    <section aria-labelledby="delete-account">
      <h2 id="delete-account">{t('privacy.deleteTitle')}</h2>
      <p>{t('privacy.deleteIntro')}</p>
      <ul>
        <li>{t('privacy.deleteErased')}</li>
        <li>{t('privacy.deleteKept')}</li>
        <li>{t('privacy.deleteBallots')}</li>
        <li>{t('privacy.deleteFinal')}</li>
      </ul>
      <form onSubmit={submit} noValidate>
        <Field label={t('privacy.deletePassword')} name="password" type="password" autoComplete="current-password" required error={fields.password} />
        <p>
          <label className="check">
            <input type="checkbox" name="remove_content" /> {t('privacy.deleteRemoveContent')}
          </label>
        </p>
        <p>
          <label className="check">
            <input type="checkbox" checked={confirmed} onChange={(e) => setConfirmed(e.target.checked)} /> {t('privacy.deleteConfirm')}
          </label>
        </p>
        <ErrorMessage error={deleting.error} />
        <button type="submit" className="danger" disabled={!confirmed || deleting.isPending}>
          {t('privacy.deleteButton')}
        </button>
      </form>
    </section>
  );
}

/** Where a deleted account lands. */
export function AccountDeleted() {
  const { t } = useTranslation();
  return (
    <section className="narrow">
      <h1>{t('privacy.deletedTitle')}</h1>
      <p role="status">{t('privacy.deletedText')}</p>
    </section>
  );
}
