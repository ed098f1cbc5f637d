// The meetings' data: queries keyed by resource and mutations that invalidate what they change.
import { useMutation, useQuery } from '@tanstack/react-query';
import { api } from '../../lib/api-client';
import { $api, etagKey, ok, useInvalidate, withEtag } from '../../lib/query';

export { useOrg } from '../../lib/org';

const MEETINGS = '/api/v1/orgs/{org}/meetings';

export function useMeetings(org: string) {
  return $api.useQuery('get', MEETINGS, { params: { path: { org }, query: { limit: 100 } } });
}

export function useMeeting(org: string, id: string) {
  return $api.useQuery('get', '/api/v1/orgs/{org}/meetings/{id}', { params: { path: { org, id } } });
}

/** A meeting with its ETag: its edit sends it back as `If-Match`, so a change made meanwhile gives 412. */
export function useVersionedMeeting(org: string, id: string) {
  const init = { params: { path: { org, id } } };
  return useQuery({
    queryKey: etagKey(`${MEETINGS}/{id}`, init),
    queryFn: () => withEtag(api.GET('/api/v1/orgs/{org}/meetings/{id}', init)),
  });
}

export function useActivities(org: string, id: string) {
  return $api.useQuery('get', '/api/v1/orgs/{org}/meetings/{id}/activities', { params: { path: { org, id } } });
}

export function useRegistrations(org: string, id: string) {
  return $api.useQuery('get', '/api/v1/orgs/{org}/meetings/{id}/registrations', { params: { path: { org, id } } });
}

/** A write to a meeting changes it, its registrations, activities and the list. */
function useInvalidateMeetings() {
  const invalidate = useInvalidate();
  return () => invalidate(MEETINGS);
}

export function useCreateMeeting() {
  const done = useInvalidateMeetings();
  return $api.useMutation('post', MEETINGS, { onSuccess: done });
}

export function useUpdateMeeting() {
  const done = useInvalidateMeetings();
  return $api.useMutation('patch', '/api/v1/orgs/{org}/meetings/{id}', { onSuccess: done });
}

export function useTransitionMeeting() {
  const done = useInvalidateMeetings();
  return $api.useMutation('post', '/api/v1/orgs/{org}/meetings/{id}/transitions', { onSuccess: done });
}

export function useSaveMinutes() {
  const done = useInvalidateMeetings();
  return $api.useMutation('put', '/api/v1/orgs/{org}/meetings/{id}/minutes', { onSuccess: done });
}

export function useAddActivity() {
  const done = useInvalidateMeetings();
  return $api.useMutation('post', '/api/v1/orgs/{org}/meetings/{id}/activities', { onSuccess: done });
}

export function useRegister() {
  const done = useInvalidateMeetings();
  return $api.useMutation('post', '/api/v1/orgs/{org}/meetings/{id}/registrations', { onSuccess: done });
}

export function useCancelRegistration() {
  const done = useInvalidateMeetings();
  return $api.useMutation('delete', '/api/v1/orgs/{org}/meetings/{id}/registrations/me', { onSuccess: done });
}

/** Joins an activity as a co-owner, or leaves it. */
export function useJoinActivity(org: string, id: string) {
  const done = useInvalidateMeetings();
  return useMutation({
    mutationFn: ({ activityId, leave }: { activityId: string; leave: boolean }) => {
      const init = { params: { path: { org, id, activity_id: activityId } } };
      return leave
        ? ok(api.DELETE('/api/v1/orgs/{org}/meetings/{id}/activities/{activity_id}/co-owners/me', init))
        : ok(api.POST('/api/v1/orgs/{org}/meetings/{id}/activities/{activity_id}/co-owners', { ...init, body: {} }));
    },
    onSuccess: done,
  });
}

/** The registrations as CSV (it needs the bearer token, which a plain link would not carry). */
export function useExportRegistrations(org: string, id: string) {
  return useMutation({
    mutationFn: () => ok(api.GET('/api/v1/orgs/{org}/meetings/{id}/registrations.csv', { params: { path: { org, id } }, parseAs: 'blob' })),
  });
}
