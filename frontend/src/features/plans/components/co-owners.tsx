import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { ErrorMessage, Field, Loading, TextArea } from '../../../components/ui';
import { api, type Schemas } from '../../../lib/api-client';
import { useAuth } from '../../../lib/auth';
import { useApi } from '../../../lib/use-api';
import { errorFor, errorsByPath } from '../lib/plans';

type CoOwnerStatus = Schemas['CoOwnerStatusDto'];

/** Who co-owns a commitment; residents offer themselves, staff accept or remove them. */
export function CoOwners({ slug, commitmentId, staff, back }: { slug: string; commitmentId: string; staff: boolean; back: string }) {
  const { t } = useTranslation();
  const { user } = useAuth();
  const path = { org: slug, id: commitmentId };
  const list = useApi(() => api.GET('/api/v1/orgs/{org}/commitments/{id}/co-owners', { params: { path, query: { limit: 100 } } }), [slug, commitmentId, user?.id]);
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const items = list.data?.items ?? [];
  const mine = items.find((c) => c.me && c.status !== 'removed');

  const join = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    const organisation = String(form.get('organisation') ?? '').trim() || null;
    const note = String(form.get('note') ?? '').trim() || null;
    setBusy(true);
    const { error } = await api.POST('/api/v1/orgs/{org}/commitments/{id}/co-owners', { params: { path }, body: { organisation, note } });
    setBusy(false);
    setError(error);
    list.reload();
  };
  const withdraw = async () => {
    setBusy(true);
    const { error } = await api.DELETE('/api/v1/orgs/{org}/commitments/{id}/co-owners/me', { params: { path } });
    setBusy(false);
    setError(error);
    list.reload();
  };
  const decide = async (co_owner_id: string, status: CoOwnerStatus) => {
    setBusy(true);
    const { error } = await api.PATCH('/api/v1/orgs/{org}/commitments/{id}/co-owners/{co_owner_id}', { params: { path: { ...path, co_owner_id } }, body: { status } });
    setBusy(false);
    setError(error);
    list.reload();
  };
  const errors = errorsByPath(error);
  return (
    <section aria-labelledby="co-owners">
      <h2 id="co-owners">{t('plans.coOwners')}</h2>
      {list.loading && !list.data && <Loading />}
      {list.data &&
        (items.length === 0 ? (
          <p>{t('plans.noCoOwners')}</p>
        ) : (
          <ul className="list">
            {items.map((c) => (
              <li key={c.id}>
                <strong>{c.display_name}</strong>
                {c.organisation && <> ({c.organisation})</>} <span className={`badge coowner-${c.status}`}>{t(`plans.coOwner_${c.status}`)}</span>
                {c.me && <span className="muted"> · {t('plans.thisIsYou')}</span>}
                {c.note && <p className="muted">{c.note}</p>}
                {staff && (
                  <span className="actions">
                    {c.status !== 'accepted' && (
                      <button type="button" disabled={busy} onClick={() => void decide(c.id, 'accepted')}>
                        {t('plans.accept', { name: c.display_name })}
                      </button>
                    )}
                    {c.status !== 'removed' && (
                      <button type="button" className="secondary" disabled={busy} onClick={() => void decide(c.id, 'removed')}>
                        {t('plans.remove', { name: c.display_name })}
                      </button>
                    )}
                  </span>
                )}
              </li>
            ))}
          </ul>
        ))}
      {user === null && (
        <p>
          <Link to={`/login?next=${encodeURIComponent(back)}`}>{t('plans.signInToJoin')}</Link>
        </p>
      )}
      {user && mine && (
        <div className="panel">
          <p role="status">{mine.status === 'accepted' ? t('plans.youAreCoOwner') : t('plans.youOffered')}</p>
          <button type="button" className="secondary" disabled={busy} onClick={() => void withdraw()}>
            {t('plans.withdraw')}
          </button>
        </div>
      )}
      {user && !mine && (
        <form onSubmit={(e) => void join(e)} noValidate className="panel stacked-form">
          <h3>{t('plans.joinTitle')}</h3>
          <p className="hint">{t('plans.joinIntro')}</p>
          <Field label={t('plans.coOwnerOrganisation')} name="organisation" hint={t('plans.optional')} error={errorFor(errors, 'organisation')} />
          <TextArea label={t('plans.coOwnerNote')} name="note" rows={2} hint={t('plans.optional')} error={errorFor(errors, 'note')} />
          <button type="submit" disabled={busy}>
            {t('plans.join')}
          </button>
        </form>
      )}
      <ErrorMessage error={error} />
    </section>
  );
}
