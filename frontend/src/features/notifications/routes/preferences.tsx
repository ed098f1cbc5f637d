import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { ErrorMessage, Loading } from '../../../components/ui';
import { useAuth } from '../../../lib/auth';
import type { components } from '../../../api/schema';
import { DELIVERIES, type Delivery, usePreferences, useSavePreferences } from '../api';

/** The kinds the server lists (the page only offers those it was given). */
type Kind = components['schemas']['PreferenceChange']['kind'];

/** How each kind of notification reaches the user: in the app, by e-mail at once, in the daily digest, or not at all. */
export default function PreferencesPage() {
  const { t } = useTranslation();
  const { user } = useAuth();
  const prefs = usePreferences();
  const save = useSavePreferences();
  const [changes, setChanges] = useState<Record<string, Delivery>>({});
  if (user === null) return <p>{t('notifications.signIn')}</p>;
  if (prefs.isPending) return <Loading />;
  if (!prefs.data) return <ErrorMessage error={prefs.error} />;
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const preferences = Object.entries(changes).map(([kind, delivery]) => ({ kind: kind as Kind, delivery }));
    save.mutate({ body: { preferences } }, { onSuccess: () => setChanges({}) });
  };
  return (
    <section aria-labelledby="preferences-title">
      <h1 id="preferences-title">{t('notifications.preferencesTitle')}</h1>
      <p>{t('notifications.preferencesIntro')}</p>
      <form onSubmit={submit}>
        {prefs.data.items.map((p) => {
          const chosen = changes[p.kind] ?? p.delivery;
          const label = t(`notifications.labels.${p.kind.replace(/\./g, '_')}`);
          return (
            <fieldset key={p.kind} className="delivery-choice">
              <legend>{label}</legend>
              {DELIVERIES.map((d) => (
                <label key={d}>
                  <input type="radio" name={p.kind} value={d} checked={chosen === d} onChange={() => setChanges((c) => ({ ...c, [p.kind]: d }))} />{' '}
                  {t(`notifications.delivery.${d}`)}
                </label>
              ))}
            </fieldset>
          );
        })}
        {save.error ? <ErrorMessage error={save.error} /> : null}
        {save.isSuccess && Object.keys(changes).length === 0 && <p role="status">{t('common.saved')}</p>}
        <button type="submit" disabled={save.isPending || Object.keys(changes).length === 0}>
          {t('common.save')}
        </button>
      </form>
      <p>
        <Link to="/notifications">{t('notifications.title')}</Link>
      </p>
    </section>
  );
}
