// The documents library, documents linked to a resource, and content pages.
import { api, type Schemas } from '../../lib/api-client';
import { useQuery } from '@tanstack/react-query';
import { $api, etagKey, invalidate, ok, queryClient, withEtag } from '../../lib/query';

export { useOrg } from '../../lib/org';

export type DocumentItem = Schemas['DocumentResponse'];
export type Category = Schemas['DocumentCategoryDto'];
export const CATEGORIES: Category[] = ['legal_acts', 'reports', 'publications', 'minutes', 'education'];

const DOCS = '/api/v1/orgs/{org}/documents';
const LINKED = '/api/v1/orgs/{org}/linked-documents/{resource_type}/{resource_id}';
const PAGES = '/api/v1/orgs/{org}/pages';

export interface LibraryFilter {
  category?: Category;
  year?: number;
  q?: string;
  cursor?: string;
}

export function useDocuments(org: string, f: LibraryFilter) {
  return $api.useQuery('get', DOCS, { params: { path: { org }, query: { ...f, limit: 20 } } });
}

const refreshDocs = () => invalidate(queryClient, DOCS, LINKED);

export async function createDocument(org: string, body: Schemas['CreateDocumentRequest']) {
  const d = await ok(api.POST(DOCS, { params: { path: { org } }, body }));
  await refreshDocs();
  return d;
}

/** A document with its ETag, for its editor (the save sends `If-Match`). */
export function useVersionedDocument(org: string, id: string) {
  const init = { params: { path: { org, id } } };
  return useQuery({
    queryKey: etagKey('/api/v1/orgs/{org}/documents/{id}', init),
    queryFn: () => withEtag(api.GET('/api/v1/orgs/{org}/documents/{id}', init)),
  });
}

export async function updateDocument(org: string, id: string, etag: string | undefined, body: Schemas['UpdateDocumentRequest']) {
  const d = await ok(
    api.PATCH('/api/v1/orgs/{org}/documents/{id}', { params: { path: { org, id }, header: { 'If-Match': etag ?? '*' } }, body }),
  );
  await refreshDocs();
  await invalidate(queryClient, '/api/v1/orgs/{org}/documents/{id}');
  return d;
}

export async function deleteDocument(org: string, id: string) {
  const { error } = await api.DELETE('/api/v1/orgs/{org}/documents/{id}', { params: { path: { org, id } } });
  if (error) throw error;
  await refreshDocs();
}

export function usePageMenu(org: string) {
  return $api.useQuery('get', PAGES, { params: { path: { org } } });
}

export function usePage(org: string, slug: string) {
  return $api.useQuery('get', '/api/v1/orgs/{org}/pages/{slug}', { params: { path: { org, slug } } });
}

export function usePageRevisions(org: string, slug: string, enabled: boolean) {
  return $api.useQuery('get', '/api/v1/orgs/{org}/pages/{slug}/revisions', { params: { path: { org, slug } } }, { enabled });
}

export async function createPage(org: string, body: Schemas['CreatePageRequest']) {
  const p = await ok(api.POST(PAGES, { params: { path: { org } }, body }));
  await invalidate(queryClient, PAGES);
  return p;
}

export async function updatePage(org: string, slug: string, body: Schemas['UpdatePageRequest']) {
  const p = await ok(api.PATCH('/api/v1/orgs/{org}/pages/{slug}', { params: { path: { org, slug } }, body }));
  await invalidate(queryClient, PAGES);
  return p;
}

export async function deletePage(org: string, slug: string) {
  const { error } = await api.DELETE('/api/v1/orgs/{org}/pages/{slug}', { params: { path: { org, slug } } });
  if (error) throw error;
  await invalidate(queryClient, PAGES);
}
