// What the landing and home pages show: organisations and, per organisation, what is happening now.
import { $api } from '../../lib/query';

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
