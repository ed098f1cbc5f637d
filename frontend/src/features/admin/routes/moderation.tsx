import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, Navigate, useParams } from 'react-router-dom';
import { ErrorMessage, Field, Loading, Select, TextArea } from '../../../components/ui';
import type { Schemas } from '../../../lib/api-client';
import { useAuth } from '../../../lib/auth';
import { errorsByPath } from '../../../lib/errors';
import { formatDateTime } from '../../../lib/format';
import type { Locale } from '../../../lib/language';
import { canEditOrg, canModerate } from '../../../lib/permissions';
import { useBlock, useBlocks, useDecide, useLiftBlock, useModerationQueue, useModerationSettings, useSaveModerationSettings, type QueueSort } from '../api';

type Item = Schemas['QueueItemResponse'];

/** Where a reported item is shown in the web app. */
function itemUrl(slug: string, item: Item): string | undefined {
  const l = item.link;
  if (!l) return undefined;
  const base = `/o/${slug}`;
  switch (l.kind) {
    case 'budget_proposal':
      return l.within ? `${base}/budgets/${l.within}/proposals/${l.id}` : undefined;
    case 'commitment':
      return l.within ? `${base}/action-plans/${l.within}/commitments/${l.id}` : undefined;
    case 'meeting':
      return `${base}/meetings/${l.id}`;
    case 'meeting_activity':
      return l.within ? `${base}/meetings/${l.within}` : undefined;
    case 'consultation':
      return `${base}/consultations/${l.id}`;
  }
}

/** One reported item: what, how often and why, and the moderator's decisions on it. */
function QueueItem({ slug, item, onDecided }: { slug: string; item: Item; onDecided: () => void }) {
  const { t, i18n } = useTranslation();
  const [mode, setMode] = useState<'view' | 'hide' | 'block'>('view');
  const deciding = useDecide();
  const path = { org: slug, kind: item.item_kind, id: item.item_id };
  // A decided item leaves the queue (it is refetched), so the page announces the decision.
  const decide = (decision: Schemas['DecisionKindDto'], reason?: string) => deciding.mutate({ params: { path }, body: { decision, reason: reason ?? null } }, { onSuccess: onDecided });
  const hide = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    decide('hide', String(new FormData(e.currentTarget).get('reason') ?? ''));
  };
  const errors = errorsByPath(deciding.error);
  const url = itemUrl(slug, item);
  const titleId = `item-${item.item_id}`;
  return (
    <li className="card moderation-item">
      <article aria-labelledby={titleId}>
        <h3 id={titleId}>
          {t(`moderation.kind_${item.item_kind}`)}
          {item.author_name && <> · {item.author_name}</>}
        </h3>
        {item.text !== null && item.text !== undefined ? <blockquote className="comment-body">{item.text}</blockquote> : <p className="comment-gone">{t('moderation.gone')}</p>}
        <p>
          {t('moderation.reportCount', { n: item.open_reports })} · {t('moderation.lastReported', { when: formatDateTime(item.last_reported_at, i18n.language as Locale) })}
          {item.state && (
            <>
              {' '}
              · <span className="badge">{t(`moderation.state_${item.state}`)}</span>
            </>
          )}
        </p>
        <ul className="reasons tags" aria-label={t('moderation.reasons')}>
          {Object.entries(item.reasons).map(([reason, n]) => (
            <li key={reason} className="badge">
              {t(`comments.reason_${reason}`)}: {n}
            </li>
          ))}
        </ul>
        {item.details.length > 0 && (
          <ul aria-label={t('moderation.details')}>
            {item.details.map((d, i) => (
              <li key={i}>{d}</li>
            ))}
          </ul>
        )}
        {url && (
          <p>
            <Link to={url}>{t('moderation.open')}</Link>
          </p>
        )}
        {!deciding.isSuccess && (
          <>
            {mode === 'hide' && (
              <form onSubmit={hide} className="stacked-form" noValidate>
                <TextArea label={t('moderation.publicReason')} name="reason" rows={2} maxLength={500} required hint={t('moderation.publicReasonHint')} error={errors.reason} />
                <p className="actions">
                  <button type="submit" disabled={deciding.isPending}>
                    {t('moderation.hide')}
                  </button>
                  <button type="button" className="secondary" onClick={() => setMode('view')}>
                    {t('common.cancel')}
                  </button>
                </p>
              </form>
            )}
            {mode === 'block' && item.author_id && <BlockForm slug={slug} userId={item.author_id} name={item.author_name ?? ''} onDone={() => setMode('view')} />}
            {mode === 'view' && (
              <p className="actions">
                <button type="button" onClick={() => setMode('hide')}>
                  {t('moderation.hide')}
                </button>
                <button type="button" className="secondary" disabled={deciding.isPending} onClick={() => decide('restore')}>
                  {t('moderation.restore')}
                </button>
                <button type="button" className="secondary" disabled={deciding.isPending} onClick={() => decide('dismiss')}>
                  {t('moderation.dismiss')}
                </button>
                {item.author_id && (
                  <button type="button" className="secondary" onClick={() => setMode('block')}>
                    {t('moderation.blockAuthor')}
                  </button>
                )}
              </p>
            )}
            {item.item_kind === 'budget_proposal' && <p className="hint">{t('moderation.proposalHint')}</p>}
            {!errors.reason && <ErrorMessage error={deciding.error} />}
          </>
        )}
      </article>
    </li>
  );
}

/** Keeps a resident from commenting until a date. */
function BlockForm({ slug, userId, name, onDone }: { slug: string; userId: string; name: string; onDone: () => void }) {
  const { t } = useTranslation();
  const blocking = useBlock();
  const submit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const f = new FormData(e.currentTarget);
    const day = String(f.get('until') ?? '');
    const until = day ? new Date(`${day}T23:59:59`).toISOString() : '';
    blocking.mutate({ params: { path: { org: slug } }, body: { user_id: userId, until, reason: String(f.get('reason') ?? '') } }, { onSuccess: onDone });
  };
  const errors = errorsByPath(blocking.error);
  return (
    <form onSubmit={submit} className="stacked-form panel" noValidate aria-label={t('moderation.blockTitle', { name })}>
      <Field label={t('moderation.blockUntil')} name="until" type="date" required error={errors.until} />
      <TextArea label={t('moderation.blockReason')} name="reason" rows={2} maxLength={500} required error={errors.reason} />
      {!errors.until && !errors.reason && <ErrorMessage error={blocking.error} />}
      <p className="actions">
        <button type="submit" disabled={blocking.isPending}>
          {t('moderation.block')}
        </button>
        <button type="button" className="secondary" onClick={onDone}>
          {t('common.cancel')}
        </button>
      </p>
    </form>
  );
}

function Blocks({ slug }: { slug: string }) {
  const { t, i18n } = useTranslation();
  const blocks = useBlocks(slug);
  const lifting = useLiftBlock();
  return (
    <section aria-labelledby="blocks-title">
      <h2 id="blocks-title">{t('moderation.blocks')}</h2>
      {blocks.isPending && <Loading />}
      <ErrorMessage error={blocks.error ?? lifting.error} />
      {blocks.data && blocks.data.items.length === 0 && <p>{t('moderation.noBlocks')}</p>}
      {blocks.data && blocks.data.items.length > 0 && (
        <ul className="list">
          {blocks.data.items.map((b) => (
            <li key={b.id}>
              <strong>{b.user_name}</strong> · {t('moderation.blockedUntil', { when: formatDateTime(b.until, i18n.language as Locale) })}
              <br />
              {b.reason}{' '}
              <button type="button" className="secondary" disabled={lifting.isPending} onClick={() => lifting.mutate({ params: { path: { org: slug, id: b.id } } })} aria-label={t('moderation.liftFor', { name: b.user_name })}>
                {t('moderation.lift')}
              </button>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

/** How many reports hold an item back: shown to moderators, changed by the admins. */
function Settings({ slug, editable }: { slug: string; editable: boolean }) {
  const { t } = useTranslation();
  const settings = useModerationSettings(slug);
  const saving = useSaveModerationSettings();
  const submit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const n = Number(new FormData(e.currentTarget).get('report_threshold'));
    saving.mutate({ params: { path: { org: slug } }, body: { report_threshold: n } });
  };
  const errors = errorsByPath(saving.error);
  return (
    <section aria-labelledby="moderation-settings">
      <h2 id="moderation-settings">{t('moderation.settings')}</h2>
      <ErrorMessage error={settings.error} />
      {settings.data &&
        (editable ? (
          <form onSubmit={submit} className="stacked-form" noValidate>
            <Field label={t('moderation.threshold')} name="report_threshold" type="number" min={1} max={100} required defaultValue={settings.data.report_threshold} hint={t('moderation.thresholdHint')} error={errors.report_threshold} />
            {!errors.report_threshold && <ErrorMessage error={saving.error} />}
            {saving.isSuccess && <p role="status">{t('common.saved')}</p>}
            <button type="submit" disabled={saving.isPending}>
              {t('common.save')}
            </button>
          </form>
        ) : (
          <p>
            {t('moderation.threshold')}: {settings.data.report_threshold}
          </p>
        ))}
    </section>
  );
}

/** The moderation of a municipality, for its moderators: reported items, decisions and blocks. */
export default function Moderation() {
  const { slug = '' } = useParams();
  const { t } = useTranslation();
  const { user } = useAuth();
  const [sort, setSort] = useState<QueueSort>('newest');
  const [cursors, setCursors] = useState<string[]>([]);
  const [decided, setDecided] = useState(0);
  const queue = useModerationQueue(slug, sort, cursors.at(-1));
  if (user === undefined) return <Loading />;
  if (user === null) return <Navigate to={`/login?next=/o/${slug}/admin/moderation`} />;
  if (!canModerate(user, slug)) return <p role="alert">{t('admin.forbidden')}</p>;
  const next = queue.data?.next_cursor;
  return (
    <article>
      <p>
        <Link to={`/o/${slug}`}>{t('nav.home')}</Link>
      </p>
      <h1>{t('moderation.title')}</h1>
      <section aria-labelledby="queue-title">
        <h2 id="queue-title">{t('moderation.queue')}</h2>
        <Select
          label={t('moderation.sort')}
          value={sort}
          onChange={(e) => {
            setSort(e.target.value as QueueSort);
            setCursors([]);
          }}
        >
          <option value="newest">{t('moderation.sortNewest')}</option>
          <option value="most_reported">{t('moderation.sortMostReported')}</option>
        </Select>
        {queue.isPending && <Loading />}
        <ErrorMessage error={queue.error} />
        {queue.data && (
          <>
            <p role="status">
              {decided > 0 && <>{t('moderation.decided')} </>}
              {t('moderation.itemCount', { n: queue.data.total })}
            </p>
            <ul className="cards">
              {queue.data.items.map((item) => (
                <QueueItem key={`${item.item_kind}-${item.item_id}`} slug={slug} item={item} onDecided={() => setDecided(decided + 1)} />
              ))}
            </ul>
            <p className="actions">
              {cursors.length > 0 && (
                <button type="button" className="secondary" onClick={() => setCursors(cursors.slice(0, -1))}>
                  {t('moderation.previous')}
                </button>
              )}
              {next && (
                <button type="button" className="secondary" onClick={() => setCursors([...cursors, next])}>
                  {t('moderation.next')}
                </button>
              )}
            </p>
          </>
        )}
      </section>
      <Blocks slug={slug} />
      <Settings slug={slug} editable={canEditOrg(user, slug)} />
    </article>
  );
}
