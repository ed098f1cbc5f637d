import { useId, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorMessage } from '../../../components/ui';
import type { Schemas } from '../../../lib/api-client';
import { fieldProblem } from '../../../lib/errors';
import { useRemoveLogo, useSetLogo } from '../api';

/** The organisation's logo: shown as it is, replaced by an uploaded image, or removed. */
export function LogoForm({ slug, org }: { slug: string; org: Schemas['OrgResponse'] }) {
  const { t } = useTranslation();
  const inputId = useId();
  const input = useRef<HTMLInputElement>(null);
  const [missing, setMissing] = useState(false);
  const set = useSetLogo(slug);
  const remove = useRemoveLogo(slug);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const file = input.current?.files?.[0];
    setMissing(!file);
    if (!file) return;
    remove.reset();
    set.mutate(file, {
      onSuccess: () => {
        if (input.current) input.current.value = '';
      },
    });
  };
  const error = missing ? fieldProblem('file', t('branding.chooseFile')) : (set.error ?? remove.error);
  return (
    <section aria-labelledby="logo-heading" className="panel">
      <h2 id="logo-heading">{t('branding.logo')}</h2>
      {org.logo ? (
        <p>
          <img className="org-logo" src={`${org.logo.url}?width=320`} alt={t('branding.currentLogo')} height={64} />
        </p>
      ) : (
        <p>{t('branding.noLogo')}</p>
      )}
      <form onSubmit={submit} className="staff-form">
        <label htmlFor={inputId}>{t('branding.chooseLogo')}</label>
        <p className="hint" id={`${inputId}-hint`}>
          {t('branding.logoHint')}
        </p>
        <input id={inputId} ref={input} type="file" name="file" accept=".png,.jpg,.jpeg,.webp,image/png,image/jpeg,image/webp" aria-describedby={`${inputId}-hint`} />
        <button type="submit" disabled={set.isPending}>
          {set.isPending ? t('files.uploading') : t('branding.uploadLogo')}
        </button>
      </form>
      {org.logo && (
        <p>
          <button type="button" className="secondary" disabled={remove.isPending} onClick={() => (set.reset(), remove.mutate())}>
            {t('branding.removeLogo')}
          </button>
        </p>
      )}
      <ErrorMessage error={error} />
      {(set.isSuccess || remove.isSuccess) && <p role="status">{t('common.saved')}</p>}
    </section>
  );
}
