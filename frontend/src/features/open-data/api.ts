// An organisation's open datasets: what the open-data page lists.
import { $api } from '../../lib/query';

export { useOrg } from '../../lib/org';

export function useOpenData(org: string) {
  return $api.useQuery('get', '/api/v1/orgs/{org}/open-data', { params: { path: { org } } });
}
