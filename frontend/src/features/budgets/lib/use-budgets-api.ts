// Loading what every budget screen needs: the organisation (languages) and the process.
import { api } from '../../../lib/api-client';
import { useApi } from '../../../lib/use-api';

export function useOrg(slug: string) {
  return useApi(() => api.GET('/api/v1/orgs/{org}', { params: { path: { org: slug } } }), [slug]);
}

export function useBudget(slug: string, id: string, userId?: string) {
  return useApi(() => api.GET('/api/v1/orgs/{org}/budgets/{id}', { params: { path: { org: slug, id } } }), [slug, id, userId]);
}

/** Every proposal of a process matching the filters (up to 100, the API's page size). */
export function useProposals(slug: string, id: string, query: { district?: string; category?: string; review?: 'submitted' | 'feasible' | 'unfeasible'; on_ballot?: boolean; sort?: string }, userId?: string) {
  return useApi(
    () => api.GET('/api/v1/orgs/{org}/budgets/{id}/proposals', { params: { path: { org: slug, id }, query: { ...query, limit: 100 } } }),
    [slug, id, query, userId],
  );
}
