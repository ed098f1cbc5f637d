import { useTranslation } from 'react-i18next';
import { NavLink } from 'react-router-dom';
import { useUnreadCount } from '../api';

/** The header's bell: a link to the notifications page with the unread count. */
export function NotificationBell({ signedIn }: { signedIn: boolean }) {
  const { t } = useTranslation();
  const unread = useUnreadCount(signedIn);
  const count = unread.data ?? 0;
  return (
    <NavLink to="/notifications" className="bell" aria-label={t('notifications.bell', { count })}>
      <span aria-hidden="true">🔔</span>
      {count > 0 && (
        <span className="bell-count" aria-hidden="true" data-testid="unread-count">
          {count > 99 ? '99+' : count}
        </span>
      )}
    </NavLink>
  );
}
