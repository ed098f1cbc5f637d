import type { FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { ErrorMessage, Field, Loading, TextArea } from '../../../components/ui';
import type { Schemas } from '../../../lib/api-client';
import { useAuth } from '../../../lib/auth';
import { errorFor, errorsByPath } from '../../../lib/errors';
import { canEdit } from '../../../lib/permissions';
import { useCoOwners, useDecideCoOwner, useJoinCommitment, useWithdrawFromCommitment } from '../api';
import type { Commitment } from '../lib/plans';

type CoOwnerStatus = Schemas['CoOwnerStatusDto'];

/** Who co-owns a commitment; residents offer themselves, staff accept or remove them. */
export function CoOwners({ slug, commitment, back }: { slug: string; commitment: Commitment; back: string }) {
  const { t } = useTranslation();
  const { user } = useAuth();
  const path = { org: slug, id: commitment.id };
  const list = useCoOwners(slug, commitment.id);
  const joining = useJoinCommitment();
  const withdrawing = useWithdrawFromCommitment();
  const deciding = useDecideCoOwner();
  const writes = [joining, withdrawing, deciding];
  const busy = writes.some((w) => w.isPending);
  const error = writes.find((w) => w.error)?.error;
  const staff = canEdit(user, slug, commitment);
  const items = list.data?.items ?? [];
  const mine = items.find((c) => c.me && c.status !== 'removed');

  // Only the last write's outcome is shown.
  const start = () => writes.forEach((w) => w.reset());
  const join = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    start();
    const form = new FormData(e.currentTarget);
    const organisation = String(form.get('organisation') ?? '').trim() || null;
    const note = String(form.get('note') ?? '').trim() || null;
    joining.mutate({ params: { path }, body: { organisation, note } });
  };
  const withdraw = () => {
    start();
    withdrawing.mutate({ params: { path } });
  };
  const decide = (co_owner_id: string, status: CoOwnerStatus) => {
    start();
    deciding.mutate({ params: { path: { ...path, co_owner_id } }, body: { status } });
  };
  const errors = errorsByPath(error);
  return (
    <section aria-labelledby="co-owners">
      <h2 id="co-owners">{t('plans.coOwners')}</h2>
      {list.isPending && <Loading />}
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
                      <button type="button" disabled={busy} onClick={() => decide(c.id, 'accepted')}>
                        {t('plans.accept', { name: c.display_name })}
                      </button>
                    )}
                    {c.status !== 'removed' && (
                      <button type="button" className="secondary" disabled={busy} onClick={() => decide(c.id, 'removed')}>
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
          <button type="button" className="secondary" disabled={busy} onClick={withdraw}>
            {t('plans.withdraw')}
          </button>
        </div>
      )}
      {user && !mine && (
        <form onSubmit={join} noValidate className="panel stacked-form">
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
