// Full-text search over an organisation's public resources: one query per (q, kind, page),
// keeping the previous page on screen while the next one loads (search as you type).
import { keepPreviousData } from '@tanstack/react-query';
import type { Schemas } from '../../lib/api-client';
import type { Locale } from '../../lib/language';
import { $api } from '../../lib/query';

export type SearchKind = Schemas['SearchKindDto'];
export type SearchHit = Schemas['SearchHitDto'];

/** Hits per page. */
export const PAGE_SIZE = 20;

export function useSearch(org: string, q: string, kind: SearchKind | undefined, cursor: string | undefined, lang: Locale) {
  return $api.useQuery(
    'get',
    '/api/v1/orgs/{org}/search',
    { params: { path: { org }, query: { q, kind, cursor, lang, limit: PAGE_SIZE } } },
    { enabled: q.trim().length > 0, placeholderData: keepPreviousData },
  );
}
