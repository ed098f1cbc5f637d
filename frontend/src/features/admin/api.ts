// Administration: an organisation's members and roles, and new organisations.
import { useMutation } from '@tanstack/react-query';
import { api } from '../../lib/api-client';
import { $api, ok, useInvalidate } from '../../lib/query';

export { useOrg } from '../../lib/org';

const MEMBERS = '/api/v1/orgs/{org}/members';

export function useMembers(org: string) {
  return $api.useQuery('get', MEMBERS, { params: { path: { org }, query: { limit: 100 } } });
}

/** Looks a user up by e-mail, on demand: the first match, or `null`. */
export function useFindUser() {
  return useMutation({
    mutationFn: async (email: string) => (await ok(api.GET('/api/v1/users', { params: { query: { email } } }))).items[0] ?? null,
  });
}

export function useSaveMember() {
  const invalidate = useInvalidate();
  // Roles change what the API shows the user, so the session's own data may change too.
  return $api.useMutation('put', '/api/v1/orgs/{org}/members/{user_id}', { onSuccess: () => invalidate(MEMBERS) });
}

export function useRemoveMember() {
  const invalidate = useInvalidate();
  return $api.useMutation('delete', '/api/v1/orgs/{org}/members/{user_id}', { onSuccess: () => invalidate(MEMBERS) });
}

export function useCreateOrg() {
  const invalidate = useInvalidate();
  return $api.useMutation('post', '/api/v1/orgs', { onSuccess: () => invalidate('/api/v1/orgs') });
}
