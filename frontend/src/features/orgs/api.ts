// What the landing and home pages show: organisations and, per organisation, what is happening now.
import { $api, useInvalidate } from '../../lib/query';

export { useOrg } from '../../lib/org';

export function useOrgs() {
  return $api.useQuery('get', '/api/v1/orgs', { params: { query: { limit: 100 } } });
}

export function useUpcomingMeetings(org: string) {
  return $api.useQuery('get', '/api/v1/orgs/{org}/meetings', { params: { path: { org }, query: { upcoming: true, limit: 5 } } });
}

export function useOpenConsultations(org: string) {
  return $api.useQuery('get', '/api/v1/orgs/{org}/consultations', { params: { path: { org }, query: { status: 'open', limit: 5 } } });
}

export function useRecentBudgets(org: string) {
  return $api.useQuery('get', '/api/v1/orgs/{org}/budgets', { params: { path: { org }, query: { limit: 5 } } });
}

export function useRecentPlans(org: string) {
  return $api.useQuery('get', '/api/v1/orgs/{org}/action-plans', { params: { path: { org }, query: { limit: 5 } } });
}

export function usePlanOverview(org: string, id: string) {
  return $api.useQuery('get', '/api/v1/orgs/{org}/action-plans/{id}/overview', { params: { path: { org, id } } });
}

const RESIDENCY = '/api/v1/orgs/{org}/residency';

/** The signed-in user's residency standing with the organisation. */
export function useResidency(org: string, enabled: boolean) {
  return $api.useQuery('get', RESIDENCY, { params: { path: { org } } }, { enabled });
}

export function useAskResidency() {
  const invalidate = useInvalidate();
  return $api.useMutation('post', '/api/v1/orgs/{org}/residency-requests', { onSuccess: () => invalidate(RESIDENCY) });
}
