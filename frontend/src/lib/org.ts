// The organisation every screen under /o/:slug needs (its languages, currency, time zone).
import { $api } from './query';

export const ORGS = '/api/v1/orgs';

export function useOrg(slug: string) {
  return $api.useQuery('get', '/api/v1/orgs/{org}', { params: { path: { org: slug } } }, { staleTime: 5 * 60_000 });
}
