import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { ErrorMessage, Loading } from '../../../components/ui';
import { useAuth } from '../../../lib/auth';
import { formatDateTime } from '../../../lib/format';
import type { Locale } from '../../../lib/language';
import { resolveText } from '../../../lib/language';
import { kindKey, linkOf, type Notification, useMarkAllRead, useMarkRead, useNotifications } from '../api';

function titleOf(n: Notification, lang: Locale): string {
  const title = (n.payload as Record<string, unknown>).title;
  if (typeof title === 'string') return title;
  if (title && typeof title === 'object') return resolveText(title as Record<string, string>, lang)?.text ?? '';
  return '';
}

function detailOf(n: Notification): string | null {
  const p = n.payload as Record<string, unknown>;
  const d = p.reason ?? p.answer;
  if (typeof d === 'string' && d.trim()) return d;
  if (d && typeof d === 'object') {
    const first = Object.values(d as Record<string, unknown>).find((v) => typeof v === 'string' && v.trim());
    return typeof first === 'string' ? first : null;
  }
  return null;
}

/** The signed-in user's notifications, newest first: mark one or all read, open what it is about. */
export default function NotificationsPage() {
  const { t, i18n } = useTranslation();
  const lang = i18n.language as Locale;
  const { user } = useAuth();
  const list = useNotifications();
  const markRead = useMarkRead();
  const markAll = useMarkAllRead();
  if (user === null) return <p>{t('notifications.signIn')}</p>;
  if (list.isPending) return <Loading />;
  if (!list.data) return <ErrorMessage error={list.error} />;
  const items = list.data.items;
  const unread = items.filter((n) => !n.read_at).length;
  return (
    <section aria-labelledby="notifications-title">
      <h1 id="notifications-title">{t('notifications.title')}</h1>
      <p>
        <Link to="/settings/notifications">{t('notifications.preferencesLink')}</Link>
      </p>
      {unread > 0 && (
        <p>
          <button type="button" disabled={markAll.isPending} onClick={() => markAll.mutate({})}>
            {t('notifications.markAllRead')}
          </button>
        </p>
      )}
      {items.length === 0 ? (
        <p>{t('notifications.empty')}</p>
      ) : (
        <ul className="notification-list">
          {items.map((n) => {
            const link = linkOf(n);
            const text = t(kindKey(n.kind), { title: titleOf(n, lang), defaultValue: t('notifications.kinds.other', { title: titleOf(n, lang) }) });
            const detail = detailOf(n);
            return (
              <li key={n.id} className={n.read_at ? 'read' : 'unread'} data-testid="notification">
                <p>
                  {!n.read_at && <span className="badge">{t('notifications.new')}</span>} {link ? <Link to={link}>{text}</Link> : text}
                </p>
                {detail && <p className="notification-detail">{detail}</p>}
                <p className="notification-meta">
                  <time dateTime={n.created_at}>{formatDateTime(n.created_at, lang)}</time>
                  {!n.read_at && (
                    <>
                      {' '}
                      <button type="button" className="link" disabled={markRead.isPending} onClick={() => markRead.mutate({ params: { path: { id: n.id } } })}>
                        {t('notifications.markRead')}
                      </button>
                    </>
                  )}
                </p>
              </li>
            );
          })}
        </ul>
      )}
    </section>
  );
}
