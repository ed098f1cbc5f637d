import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorMessage, Field, Loading, Select } from '../../../components/ui';
import type { Schemas } from '../../../lib/api-client';
import { fieldErrors } from '../../../lib/errors';
import { formatDateTime } from '../../../lib/format';
import type { Locale } from '../../../lib/language';
import { useApiTokens, useCreateApiToken, useRevokeApiToken } from '../api';

type Scope = Schemas['TokenScopeDto'];
const SCOPES: Scope[] = ['read', 'act'];
const LIFETIMES = [30, 90, 365] as const;

/** The user's API tokens for third-party apps: create one (its secret shown once), see use, revoke. */
export function ApiTokens() {
  const { t, i18n } = useTranslation();
  const lang = i18n.language as Locale;
  const list = useApiTokens();
  const creating = useCreateApiToken();
  const revoking = useRevokeApiToken();
  const [secret, setSecret] = useState<{ name: string; token: string } | null>(null);
  const [copied, setCopied] = useState(false);

  const create = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const formEl = e.currentTarget;
    const form = new FormData(formEl);
    setCopied(false);
    creating.mutate(
      {
        body: {
          name: String(form.get('name')).trim(),
          scope: String(form.get('scope')) as Scope,
          expires_in_days: form.get('expires') ? Number(form.get('expires')) : null,
        },
      },
      {
        onSuccess: (created) => {
          setSecret({ name: created.name, token: created.token });
          formEl.reset();
        },
      },
    );
  };
  const copy = (token: string) => void navigator.clipboard?.writeText(token).then(() => setCopied(true));
  const fields = fieldErrors(creating.error);
  return (
    <section aria-labelledby="api-tokens">
      <h2 id="api-tokens">{t('tokens.title')}</h2>
      <p className="hint">
        {t('tokens.intro')} {t('tokens.passwordNote')}
      </p>
      {list.isPending && <Loading />}
      <ErrorMessage error={list.error ?? revoking.error} />
      {list.data && list.data.items.length === 0 && <p>{t('tokens.none')}</p>}
      {list.data && list.data.items.length > 0 && (
        <table>
          <caption className="visually-hidden">{t('tokens.title')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('tokens.name')}</th>
              <th scope="col">{t('tokens.scope')}</th>
              <th scope="col">{t('tokens.created')}</th>
              <th scope="col">{t('tokens.lastUsed')}</th>
              <th scope="col">{t('tokens.expires')}</th>
              <td />
            </tr>
          </thead>
          <tbody>
            {list.data.items.map((k) => (
              <tr key={k.id}>
                <th scope="row">{k.name}</th>
                <td>{t(`tokens.scope_${k.scope}`)}</td>
                <td>{formatDateTime(k.created_at, lang)}</td>
                <td>{k.last_used_at ? formatDateTime(k.last_used_at, lang) : t('tokens.never')}</td>
                <td>{k.expires_at ? formatDateTime(k.expires_at, lang) : t('tokens.never')}</td>
                <td>
                  <button type="button" className="secondary" disabled={revoking.isPending} onClick={() => revoking.mutate({ params: { path: { id: k.id } } })}>
                    {t('tokens.revoke', { name: k.name })}
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {secret && (
        <div className="panel" role="status">
          <p>{t('tokens.createdOnce', { name: secret.name })}</p>
          <p>
            <code className="secret">{secret.token}</code>
          </p>
          <button type="button" className="secondary" onClick={() => copy(secret.token)}>
            {copied ? t('tokens.copied') : t('tokens.copy')}
          </button>
        </div>
      )}
      <form onSubmit={create} noValidate>
        <Field label={t('tokens.name')} name="name" required maxLength={100} hint={t('tokens.nameHint')} error={fields.name} />
        <Select label={t('tokens.scope')} name="scope" defaultValue="read" error={fields.scope}>
          {SCOPES.map((s) => (
            <option key={s} value={s}>
              {t(`tokens.scopeLong_${s}`)}
            </option>
          ))}
        </Select>
        <Select label={t('tokens.expires')} name="expires" defaultValue="90" error={fields.expires_in_days}>
          <option value="">{t('tokens.expiresNever')}</option>
          {LIFETIMES.map((d) => (
            <option key={d} value={d}>
              {t('tokens.expiresIn', { count: d })}
            </option>
          ))}
        </Select>
        <ErrorMessage error={creating.error} />
        <button type="submit" disabled={creating.isPending}>
          {t('tokens.create')}
        </button>
      </form>
    </section>
  );
}
