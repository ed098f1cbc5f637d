// The signed-in user's notifications (the bell and its page) and delivery preferences: queries
// keyed by resource, mutations that invalidate what they change.
import { $api, useInvalidate } from '../../lib/query';
import type { Schemas } from '../../lib/api-client';

const NOTIFICATIONS = '/api/v1/me/notifications';
const PREFERENCES = '/api/v1/me/notification-preferences';

export type Delivery = Schemas['DeliveryDto'];
export const DELIVERIES: Delivery[] = ['email', 'digest', 'in_app', 'off'];
export type Notification = Schemas['NotificationResponse'];

/** How many unread notifications there are: one item fetched, the total counted. */
export function useUnreadCount(enabled: boolean) {
  return $api.useQuery(
    'get',
    NOTIFICATIONS,
    { params: { query: { unread: true, limit: 1 } } },
    { enabled, refetchInterval: 60_000, select: (d) => d.total },
  );
}

export function useNotifications() {
  return $api.useQuery('get', NOTIFICATIONS, { params: { query: { limit: 100 } } });
}

export function useMarkRead() {
  const invalidate = useInvalidate();
  return $api.useMutation('post', '/api/v1/me/notifications/{id}/read', { onSuccess: () => invalidate(NOTIFICATIONS) });
}

export function useMarkAllRead() {
  const invalidate = useInvalidate();
  return $api.useMutation('post', '/api/v1/me/notifications/read-all', { onSuccess: () => invalidate(NOTIFICATIONS) });
}

export function usePreferences() {
  return $api.useQuery('get', PREFERENCES);
}

export function useSavePreferences() {
  const invalidate = useInvalidate();
  return $api.useMutation('put', PREFERENCES, { onSuccess: () => invalidate(PREFERENCES) });
}

/** Where a notification's resource is in the app, from what its payload names. */
export function linkOf(n: Notification): string | null {
  const p = n.payload as Record<string, unknown>;
  const slug = typeof p.org_slug === 'string' ? p.org_slug : null;
  const id = typeof p.target_id === 'string' ? p.target_id : null;
  if (!slug || !id) return null;
  switch (p.target) {
    case 'meeting':
      return `/o/${slug}/meetings/${id}`;
    case 'consultation':
      return `/o/${slug}/consultations/${id}`;
    case 'report':
      return `/o/${slug}/reports/${id}`;
    case 'budget':
      return `/o/${slug}/budgets/${id}`;
    case 'proposal':
      return typeof p.budget_id === 'string' ? `/o/${slug}/budgets/${p.budget_id}/proposals/${id}` : null;
    case 'commitment':
      return typeof p.plan_id === 'string' ? `/o/${slug}/action-plans/${p.plan_id}/commitments/${id}` : null;
    default:
      return null;
  }
}

/** The i18n key of a kind: `meeting.cancelled` → `notifications.kinds.meeting_cancelled`. */
export function kindKey(kind: string): string {
  return `notifications.kinds.${kind.replace(/\./g, '_')}`;
}
