// The app's data layer: TanStack Query on top of the one generated `openapi-fetch` client, so
// every query and mutation goes through the same bearer-token middleware (lib/api-client.ts).
//
// Query keys are openapi-react-query's: `['get', '/api/v1/orgs/{org}/commitments/{id}', init]`,
// i.e. the path template then its parameters. A write invalidates by path-template prefix
// (`invalidate(qc, '/api/v1/orgs/{org}/commitments')` reaches the list, every commitment and
// their sub-resources), so feature modules never reload by hand.
import { QueryClient, useQueryClient, type Query } from '@tanstack/react-query';
import createQueryHooks from 'openapi-react-query';
import { api } from './api-client';
import { isProblem } from './errors';

/** Typed hooks over the generated client: `$api.useQuery('get', path, init)`, `$api.useMutation(…)`. */
export const $api = createQueryHooks(api);

export function createAppQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: {
        staleTime: 30_000,
        // Problems are the server's answer and repeat; only a network failure is retried once.
        retry: (failures, error) => !isProblem(error) && failures < 1,
        refetchOnWindowFocus: false,
      },
      mutations: { retry: false },
    },
  });
}

/** The one client of the running app (tests make their own with `createAppQueryClient`). */
export const queryClient = createAppQueryClient();

function pathOf(query: Query): string | undefined {
  const path = query.queryKey[1];
  return typeof path === 'string' ? path : undefined;
}

/** Marks every query whose path template starts with one of `prefixes` stale; active ones refetch. */
export function invalidate(qc: QueryClient, ...prefixes: string[]): Promise<void> {
  return qc.invalidateQueries({ predicate: (q) => prefixes.some((p) => pathOf(q)?.startsWith(p) ?? false) });
}

/** `invalidate` bound to the app's client, for a mutation's `onSuccess`. */
export function useInvalidate(): (...prefixes: string[]) => Promise<void> {
  const qc = useQueryClient();
  return (...prefixes) => invalidate(qc, ...prefixes);
}

/** A resource with the ETag it was read at, so a later write can claim that version (`If-Match`). */
export interface Versioned<T> {
  item: T;
  etag: string | undefined;
}

/**
 * A query function for resources edited with `If-Match`: keeps the response's ETag next to the
 * data, and throws the problem like openapi-react-query does. Use with a key ending in `'etag'`
 * (see `etagKey`), so it never shares a cache entry with the plain query of the same path.
 */
export async function withEtag<T>(request: Promise<{ data?: T; error?: unknown; response: Response }>): Promise<Versioned<T>> {
  const { data, error, response } = await request;
  if (error !== undefined || data === undefined) throw error ?? { status: response.status, code: 'internal' };
  return { item: data, etag: response.headers.get('ETag') ?? undefined };
}

/** The key of a versioned (`withEtag`) query: the path template first, like every other key. */
export function etagKey(path: string, init: unknown) {
  return ['get', path, init, 'etag'] as const;
}

/** The data of an `openapi-fetch` call, or its problem thrown: a mutation or query function's body. */
export async function ok<T>(request: Promise<{ data?: T; error?: unknown }>): Promise<T> {
  const { data, error } = await request;
  if (error !== undefined) throw error;
  return data as T;
}
