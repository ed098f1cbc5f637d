import { useTranslation } from 'react-i18next';
import type { Schemas } from '../lib/api-client';
import { useAuth } from '../lib/auth';
import { $api, useInvalidate } from '../lib/query';

const PATH = '/api/v1/me/follows/{target}/{id}';

/** Follow or stop following a page's resource (signed-in users): its changes then reach them by their notification preferences. */
export function FollowButton({ target, id }: { target: Schemas['FollowTargetDto']; id: string }) {
  const { t } = useTranslation();
  const { user } = useAuth();
  const invalidate = useInvalidate();
  const params = { params: { path: { target, id } } };
  const state = $api.useQuery('get', PATH, params, { enabled: !!user });
  const done = { onSuccess: () => invalidate(PATH, '/api/v1/me/follows') };
  const follow = $api.useMutation('put', PATH, done);
  const unfollow = $api.useMutation('delete', PATH, done);
  if (!user || !state.data) return null;
  const following = state.data.following;
  const busy = follow.isPending || unfollow.isPending;
  return (
    <button
      type="button"
      className="follow-button"
      aria-pressed={following}
      disabled={busy}
      onClick={() => (following ? unfollow.mutate(params) : follow.mutate(params))}
    >
      {following ? t('follow.following') : t('follow.follow')}
    </button>
  );
}
