// Residents' comments on a public resource (a budget proposal, commitment, meeting or
// consultation): the thread oldest first with replies under their comment, the post form for
// signed-in residents, editing within the window, deleting, reporting, the "official" badge, the
// notices for hidden, held and deleted comments and for a closed thread, and the staff's switch
// to close it. What the reader may do comes from the thread's and each comment's `can` flags.
// Bodies are plain text: links are made clickable by linkify-react, which builds React elements
// (never HTML strings).
import Linkify from 'linkify-react';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import type { Schemas } from '../lib/api-client';
import { useAuth } from '../lib/auth';
import { errorsByPath } from '../lib/errors';
import { formatDateTime } from '../lib/format';
import type { Locale } from '../lib/language';
import { $api, useInvalidate } from '../lib/query';
import { ErrorMessage, Loading, TextArea } from './ui';

export type ThreadKind = Schemas['TargetKindDto'];
type Comment = Schemas['CommentResponse'];
type Reason = Schemas['ReportReasonDto'];

const THREAD = '/api/v1/orgs/{org}/threads/{kind}/{target_id}';
const THREADS = '/api/v1/orgs/{org}/threads';
const REASONS: readonly Reason[] = ['spam', 'offensive', 'off_topic', 'personal_data', 'other'];
/** How many comments a page shows first, and how many more each "show more" adds. */
const PAGE = 20;

const LINKS = { target: '_blank', rel: 'nofollow ugc noopener', defaultProtocol: 'https' } as const;

function newKey(): string {
  return typeof crypto !== 'undefined' && 'randomUUID' in crypto ? crypto.randomUUID() : `${Date.now()}-${Math.random()}`;
}

/** The comments on one resource, for everyone; posting for signed-in residents. */
export function Comments({ slug, kind, targetId, back }: { slug: string; kind: ThreadKind; targetId: string; back: string }) {
  const { t } = useTranslation();
  const { user } = useAuth();
  const [limit, setLimit] = useState(PAGE);
  const path = { org: slug, kind, target_id: targetId };
  const thread = $api.useQuery('get', THREAD, { params: { path, query: { limit } } });
  const invalidate = useInvalidate();
  const closing = $api.useMutation('patch', THREAD, { onSuccess: () => invalidate(THREADS) });
  const th = thread.data;
  return (
    <section aria-labelledby="comments-title" className="comments">
      <h2 id="comments-title">{th ? t('comments.titleCount', { n: th.total }) : t('comments.title')}</h2>
      {thread.isPending && <Loading />}
      <ErrorMessage error={thread.error} />
      {th && (
        <>
          {th.closed && (
            <p role="status" className="notice">
              {t('comments.closed')}
            </p>
          )}
          {th.can.close && (
            <p>
              <button type="button" className="secondary" disabled={closing.isPending} onClick={() => closing.mutate({ params: { path }, body: { closed: !th.closed } })}>
                {th.closed ? t('comments.reopen') : t('comments.close')}
              </button>
            </p>
          )}
          <ErrorMessage error={closing.error} />
          {th.items.length === 0 ? (
            <p>{t('comments.none')}</p>
          ) : (
            <ol className="comment-list">
              {th.items.map((c) => (
                <li key={c.id}>
                  <CommentItem slug={slug} path={path} comment={c} canReply={th.can.post} />
                  {c.replies.length > 0 && (
                    <ol className="comment-list replies" aria-label={t('comments.repliesTo', { name: c.author_name ?? t('comments.deletedAuthor') })}>
                      {c.replies.map((r) => (
                        <li key={r.id}>
                          <CommentItem slug={slug} path={path} comment={r} canReply={false} />
                        </li>
                      ))}
                    </ol>
                  )}
                </li>
              ))}
            </ol>
          )}
          {th.next_cursor && limit < 100 && (
            <button type="button" className="secondary" onClick={() => setLimit(Math.min(100, limit + PAGE))}>
              {t('comments.showMore')}
            </button>
          )}
          {th.can.post ? (
            <CommentForm path={path} label={t('comments.yourComment')} submitLabel={t('comments.post')} />
          ) : user === null ? (
            <p>
              <Link to={`/login?next=${encodeURIComponent(back)}`}>{t('comments.logInToComment')}</Link>
            </p>
          ) : user && !th.closed ? (
            <p className="notice">{t('comments.cannotPost')}</p>
          ) : null}
        </>
      )}
    </section>
  );
}

type ThreadPath = { org: string; kind: ThreadKind; target_id: string };

/** Posts a comment, or a reply to `parentId`; a retried submission reuses its Idempotency-Key. */
function CommentForm({ path, parentId, label, submitLabel, onDone }: { path: ThreadPath; parentId?: string; label: string; submitLabel: string; onDone?: () => void }) {
  const { t } = useTranslation();
  const invalidate = useInvalidate();
  const [body, setBody] = useState('');
  // One key per text typed: a retry after a lost answer is not posted twice.
  const [key, setKey] = useState(newKey);
  const posting = $api.useMutation('post', `${THREAD}/comments`, {
    onSuccess: () => {
      setBody('');
      setKey(newKey());
      onDone?.();
      return invalidate(THREADS);
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    posting.mutate({ params: { path, header: { 'Idempotency-Key': key } }, body: { body, parent_id: parentId ?? null } });
  };
  const errors = errorsByPath(posting.error);
  return (
    <form onSubmit={submit} className="stacked-form comment-form" noValidate>
      <TextArea label={label} name="body" rows={parentId ? 2 : 4} maxLength={2000} required value={body} hint={t('comments.plainText')} error={errors.body ?? errors.parent_id} onChange={(e) => { setBody(e.target.value); setKey(newKey()); }} />
      {!errors.body && !errors.parent_id && <ErrorMessage error={posting.error} />}
      <p className="actions">
        <button type="submit" disabled={posting.isPending || body.trim() === ''}>
          {submitLabel}
        </button>
        {onDone && (
          <button type="button" className="secondary" onClick={onDone}>
            {t('common.cancel')}
          </button>
        )}
      </p>
    </form>
  );
}

/** One comment: who, when, what (or why not), and what the reader may do with it. */
function CommentItem({ slug, path, comment: c, canReply }: { slug: string; path: ThreadPath; comment: Comment; canReply: boolean }) {
  const { t, i18n } = useTranslation();
  const [mode, setMode] = useState<'view' | 'reply' | 'edit' | 'delete' | 'report'>('view');
  const invalidate = useInvalidate();
  const removing = $api.useMutation('delete', '/api/v1/orgs/{org}/comments/{id}', { onSuccess: () => invalidate(THREADS) });
  const titleId = `comment-${c.id}`;
  const author = c.author_name ?? t('comments.deletedAuthor');
  return (
    <article className={`comment comment-${c.state}`} aria-labelledby={titleId}>
      <header>
        <strong id={titleId}>{author}</strong>
        {c.official && <span className="badge official">{t('comments.official')}</span>}{' '}
        <time dateTime={c.created_at}>{formatDateTime(c.created_at, i18n.language as Locale)}</time>
        {c.edited_at && <span className="hint"> · {t('comments.edited')}</span>}
      </header>
      {c.state === 'visible' && mode !== 'edit' && (
        <p className="comment-body">
          <Linkify options={LINKS}>{c.body ?? ''}</Linkify>
        </p>
      )}
      {c.state === 'deleted' && <p className="comment-gone">{t('comments.deleted')}</p>}
      {c.state === 'under_review' && <p className="comment-gone">{t('comments.underReview')}</p>}
      {c.state === 'hidden' && <p className="comment-gone">{t('comments.hiddenBy', { reason: c.hidden_reason ?? '' })}</p>}
      {mode === 'edit' && <EditForm slug={slug} comment={c} onDone={() => setMode('view')} />}
      {mode === 'view' && (canReply || c.can.edit || c.can.delete || c.can.report) && (
        <p className="actions comment-actions">
          {canReply && (
            <button type="button" className="link" onClick={() => setMode('reply')} aria-label={t('comments.replyTo', { name: author })}>
              {t('comments.reply')}
            </button>
          )}
          {c.can.edit && (
            <button type="button" className="link" onClick={() => setMode('edit')}>
              {t('comments.edit')}
            </button>
          )}
          {c.can.delete && (
            <button type="button" className="link" onClick={() => setMode('delete')}>
              {t('comments.delete')}
            </button>
          )}
          {c.can.report && (
            <button type="button" className="link" onClick={() => setMode('report')} aria-label={t('comments.reportBy', { name: author })}>
              {t('comments.report')}
            </button>
          )}
        </p>
      )}
      {mode === 'delete' && (
        <div role="alertdialog" aria-labelledby={`${titleId}-delete`} className="panel">
          <p id={`${titleId}-delete`}>{t('comments.deleteConfirm')}</p>
          <p className="actions">
            <button type="button" disabled={removing.isPending} onClick={() => removing.mutate({ params: { path: { org: slug, id: c.id } } }, { onSuccess: () => setMode('view') })}>
              {t('comments.deleteYes')}
            </button>
            <button type="button" className="secondary" onClick={() => setMode('view')}>
              {t('common.cancel')}
            </button>
          </p>
          <ErrorMessage error={removing.error} />
        </div>
      )}
      {mode === 'reply' && <CommentForm path={path} parentId={c.id} label={t('comments.yourReply', { name: author })} submitLabel={t('comments.postReply')} onDone={() => setMode('view')} />}
      {mode === 'report' && <ReportDialog slug={slug} itemKind="comment" itemId={c.id} onDone={() => setMode('view')} />}
    </article>
  );
}

function EditForm({ slug, comment: c, onDone }: { slug: string; comment: Comment; onDone: () => void }) {
  const { t } = useTranslation();
  const invalidate = useInvalidate();
  const [body, setBody] = useState(c.body ?? '');
  const editing = $api.useMutation('patch', '/api/v1/orgs/{org}/comments/{id}', {
    onSuccess: () => {
      onDone();
      return invalidate(THREADS);
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    editing.mutate({ params: { path: { org: slug, id: c.id } }, body: { body } });
  };
  const errors = errorsByPath(editing.error);
  return (
    <form onSubmit={submit} className="stacked-form" noValidate>
      <TextArea label={t('comments.editLabel')} name="body" rows={3} maxLength={2000} value={body} error={errors.body} onChange={(e) => setBody(e.target.value)} />
      {!errors.body && <ErrorMessage error={editing.error} />}
      <p className="actions">
        <button type="submit" disabled={editing.isPending}>
          {t('common.save')}
        </button>
        <button type="button" className="secondary" onClick={onDone}>
          {t('common.cancel')}
        </button>
      </p>
    </form>
  );
}

/** Reports a comment, a budget proposal or an opinion: a reason and, optionally, a few words. */
export function ReportDialog({ slug, itemKind, itemId, onDone }: { slug: string; itemKind: Schemas['ItemKindDto']; itemId: string; onDone: () => void }) {
  const { t } = useTranslation();
  const invalidate = useInvalidate();
  const [reason, setReason] = useState<Reason | ''>('');
  const [details, setDetails] = useState('');
  const reporting = $api.useMutation('post', '/api/v1/orgs/{org}/reports', { onSuccess: () => invalidate(THREADS) });
  const titleId = `report-${itemId}`;
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!reason) return;
    reporting.mutate({ params: { path: { org: slug } }, body: { item_kind: itemKind, item_id: itemId, reason, details: details.trim() || null } });
  };
  const errors = errorsByPath(reporting.error);
  if (reporting.isSuccess) {
    return (
      <div role="status" className="panel">
        <p>{t('comments.reported')}</p>
        <button type="button" className="secondary" onClick={onDone}>
          {t('comments.closeDialog')}
        </button>
      </div>
    );
  }
  return (
    <div role="dialog" aria-labelledby={titleId} className="panel">
      <h3 id={titleId}>{t('comments.reportTitle')}</h3>
      <form onSubmit={submit} className="stacked-form" noValidate>
        <fieldset>
          <legend>{t('comments.reportReason')}</legend>
          {REASONS.map((r) => (
            <label key={r} className="choice">
              <input type="radio" name="reason" value={r} checked={reason === r} onChange={() => setReason(r)} /> {t(`comments.reason_${r}`)}
            </label>
          ))}
        </fieldset>
        <TextArea label={t('comments.reportDetails')} name="details" rows={2} maxLength={500} value={details} error={errors.details} hint={t('comments.reportDetailsHint')} onChange={(e) => setDetails(e.target.value)} />
        {!errors.details && <ErrorMessage error={reporting.error} />}
        <p className="actions">
          <button type="submit" disabled={!reason || reporting.isPending}>
            {t('comments.sendReport')}
          </button>
          <button type="button" className="secondary" onClick={onDone}>
            {t('common.cancel')}
          </button>
        </p>
      </form>
    </div>
  );
}

/** "Comments: n" on a list item. */
export function CommentCount({ n }: { n: number }) {
  const { t } = useTranslation();
  return <span className="comment-count">{t('comments.count', { n })}</span>;
}

/** A "Report" button that opens the report dialog in place (for proposals and opinions). */
export function ReportButton({ slug, itemKind, itemId, label }: { slug: string; itemKind: Schemas['ItemKindDto']; itemId: string; label: string }) {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  return open ? (
    <ReportDialog slug={slug} itemKind={itemKind} itemId={itemId} onDone={() => setOpen(false)} />
  ) : (
    <button type="button" className="link" onClick={() => setOpen(true)} aria-label={label}>
      {t('comments.report')}
    </button>
  );
}
