// Loading with the ETag kept, for the resources staff edit with `If-Match`.
import { api } from '../../../lib/api-client';
import { useApi } from '../../../lib/use-api';

/** Keeps a GET's ETag next to its data, so a later write can say which version it changes. */
export async function withEtag<T>(request: Promise<{ data?: T; error?: unknown; response: Response }>) {
  const r = await request;
  return { ...r, data: r.data === undefined ? undefined : { item: r.data, etag: r.response.headers.get('ETag') ?? undefined } };
}

export function useOrg(slug: string) {
  return useApi(() => api.GET('/api/v1/orgs/{org}', { params: { path: { org: slug } } }), [slug]);
}
