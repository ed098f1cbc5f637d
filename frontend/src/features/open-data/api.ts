// An organisation's open datasets: what the open-data page lists.
import { $api, useInvalidate } from '../../lib/query';

export { useOrg } from '../../lib/org';

export function useOpenData(org: string) {
  return $api.useQuery('get', '/api/v1/orgs/{org}/open-data', { params: { path: { org } } });
}

export function useSetLicence() {
  const invalidate = useInvalidate();
  return $api.useMutation('put', '/api/v1/orgs/{org}/open-data/settings', { onSuccess: () => invalidate('/api/v1/orgs/{org}/open-data') });
}

export function useRetention(org: string, enabled: boolean) {
  return $api.useQuery('get', '/api/v1/orgs/{org}/retention', { params: { path: { org } } }, { enabled });
}

export function useSetRetention() {
  const invalidate = useInvalidate();
  return $api.useMutation('put', '/api/v1/orgs/{org}/retention', { onSuccess: () => invalidate('/api/v1/orgs/{org}/retention') });
}
