// The participatory budgets' data: processes, proposals, ballots, results and implementation,
// as queries keyed by resource and mutations that invalidate what they change.
import { keepPreviousData, useMutation, useQueries, useQuery } from '@tanstack/react-query';
import { api, type Schemas } from '../../lib/api-client';
import { $api, etagKey, ok, useInvalidate, withEtag } from '../../lib/query';

export { useOrg } from '../../lib/org';

const BUDGETS = '/api/v1/orgs/{org}/budgets';
const PROPOSALS = '/api/v1/orgs/{org}/budgets/{id}/proposals';

export type ProposalQuery = { district?: string; category?: string; review?: 'submitted' | 'feasible' | 'unfeasible'; on_ballot?: boolean; sort?: string; q?: string };

export function useBudgets(org: string) {
  return $api.useQuery('get', BUDGETS, { params: { path: { org }, query: { limit: 100 } } });
}

export function useBudget(org: string, id: string) {
  return $api.useQuery('get', '/api/v1/orgs/{org}/budgets/{id}', { params: { path: { org, id } } });
}

/**
 * Every proposal of a process matching the filters (up to 100, the API's page size); while other
 * filters load, the last list stays on screen.
 */
export function useProposals(org: string, id: string, query: ProposalQuery) {
  return $api.useQuery('get', PROPOSALS, { params: { path: { org, id }, query: { ...query, limit: 100 } } }, { placeholderData: keepPreviousData });
}

export function useProposal(org: string, id: string, proposalId: string) {
  return $api.useQuery('get', '/api/v1/orgs/{org}/budgets/{id}/proposals/{proposal_id}', { params: { path: { org, id, proposal_id: proposalId } } });
}

/** A proposal with its ETag, for its author's edit (`If-Match`); not fetched without an id. */
export function useVersionedProposal(org: string, id: string, proposalId: string | undefined) {
  const init = { params: { path: { org, id, proposal_id: proposalId ?? '' } } };
  return useQuery({
    queryKey: etagKey(`${PROPOSALS}/{proposal_id}`, init),
    queryFn: () => withEtag(api.GET('/api/v1/orgs/{org}/budgets/{id}/proposals/{proposal_id}', init)),
    enabled: !!proposalId,
  });
}

export function useProjectHistory(org: string, id: string, proposalId: string, enabled = true) {
  return $api.useQuery(
    'get',
    '/api/v1/orgs/{org}/budgets/{id}/proposals/{proposal_id}/updates',
    { params: { path: { org, id, proposal_id: proposalId }, query: { limit: 100 } } },
    { enabled },
  );
}

/** The results under `rule` (the process's own when not given); not fetched until `enabled`. */
export function useResults(org: string, id: string, query: { rule?: Schemas['OutcomeRuleDto']; district?: string } = {}, enabled = true) {
  return $api.useQuery('get', '/api/v1/orgs/{org}/budgets/{id}/results', { params: { path: { org, id }, query } }, { enabled, placeholderData: keepPreviousData });
}

/**
 * The winners of every ballot of a process under its own rule: each district's, or the whole
 * process's when it has no districts (proposals then belong to no district).
 */
export function useAllWinners(org: string, id: string, districts: readonly string[] | undefined) {
  const keys = districts === undefined ? [] : districts.length > 0 ? districts : [undefined];
  return useQueries({
    queries: keys.map((district) => $api.queryOptions('get', '/api/v1/orgs/{org}/budgets/{id}/results', { params: { path: { org, id }, query: district ? { district } : {} } })),
    combine: (all) => ({
      isPending: all.some((r) => r.isPending),
      error: all.find((r) => r.error)?.error ?? null,
      currency: all.find((r) => r.data)?.data?.currency,
      winners: all.flatMap((r) => r.data?.winners ?? []),
    }),
  });
}

/** The caller's ballot in the process (for one district, when it has districts). */
export function useMyBallot(org: string, id: string, district: string | null) {
  return $api.useQuery('get', '/api/v1/orgs/{org}/budgets/{id}/ballot', { params: { path: { org, id }, query: district ? { district } : {} } });
}

/** Everything of the budgets area is refetched after a write: phases move proposals and results. */
function useInvalidateBudgets() {
  const invalidate = useInvalidate();
  return () => invalidate(BUDGETS);
}

export function useImportBudget(org: string) {
  const done = useInvalidateBudgets();
  return useMutation({
    mutationFn: (text: string) =>
      ok(
        api.POST('/api/v1/orgs/{org}/budgets/import', {
          params: { path: { org } },
          body: text,
          headers: { 'Content-Type': 'text/plain' },
          bodySerializer: (b: string) => b,
        }),
      ),
    onSuccess: done,
  });
}

/** Staff enter ballots collected on paper, as CSV by proposal code (all are stored or none). */
export function useEnterPaperBallots(org: string, id: string) {
  const done = useInvalidateBudgets();
  return useMutation({
    mutationFn: (csv: string) =>
      ok(
        api.POST('/api/v1/orgs/{org}/budgets/{id}/paper-ballots', {
          params: { path: { org, id } },
          // The spec's JSON body type; the CSV text goes as it is.
          body: csv as unknown as Schemas['PaperBallotsRequest'],
          headers: { 'Content-Type': 'text/csv' },
          bodySerializer: (b: unknown) => b as string,
        }),
      ),
    onSuccess: done,
  });
}

export function useTransitionBudget() {
  const done = useInvalidateBudgets();
  return $api.useMutation('post', '/api/v1/orgs/{org}/budgets/{id}/transitions', { onSuccess: done });
}

/** The process as pabulib text (downloaded on demand, not cached). */
export function exportBudget(org: string, id: string): Promise<string> {
  return ok(api.GET('/api/v1/orgs/{org}/budgets/{id}/export.pb', { params: { path: { org, id } }, parseAs: 'text' }));
}

/** Proposes a project, or (with `proposalId` and its ETag) edits one. */
export function useSaveProposal(org: string, id: string, proposalId: string | undefined) {
  const done = useInvalidateBudgets();
  return useMutation({
    mutationFn: ({ body, etag }: { body: Schemas['CreateProposalRequest']; etag?: string }) =>
      proposalId
        ? ok(api.PATCH('/api/v1/orgs/{org}/budgets/{id}/proposals/{proposal_id}', { params: { path: { org, id, proposal_id: proposalId }, header: { 'If-Match': etag } }, body }))
        : ok(api.POST('/api/v1/orgs/{org}/budgets/{id}/proposals', { params: { path: { org, id } }, body })),
    onSuccess: done,
  });
}

export function useSupportProposal() {
  const done = useInvalidateBudgets();
  return $api.useMutation('post', '/api/v1/orgs/{org}/budgets/{id}/proposals/{proposal_id}/supports', { onSuccess: done });
}

export function useReviewProposal() {
  const done = useInvalidateBudgets();
  return $api.useMutation('post', '/api/v1/orgs/{org}/budgets/{id}/proposals/{proposal_id}/review', { onSuccess: done });
}

export function usePostProjectUpdate() {
  const done = useInvalidateBudgets();
  return $api.useMutation('post', '/api/v1/orgs/{org}/budgets/{id}/proposals/{proposal_id}/updates', { onSuccess: done });
}

export function useCastBallot() {
  const invalidate = useInvalidate();
  return $api.useMutation('put', '/api/v1/orgs/{org}/budgets/{id}/ballot', { onSuccess: () => invalidate(`${BUDGETS}/{id}/ballot`) });
}

/** A process with its ETag (its edit sends `If-Match`); not fetched without an `id`. */
export function useVersionedBudget(org: string, id: string | undefined) {
  const init = { params: { path: { org, id: id ?? '' } } };
  return useQuery({
    queryKey: etagKey(`${BUDGETS}/{id}`, init),
    queryFn: () => withEtag(api.GET('/api/v1/orgs/{org}/budgets/{id}', init)),
    enabled: !!id,
  });
}

/** Creates a process, or (with `id` and the ETag it was read at) edits one. */
export function useSaveBudget(org: string, id: string | undefined) {
  const done = useInvalidateBudgets();
  return useMutation({
    mutationFn: ({ body, update, etag }: { body: Schemas['CreateBudgetRequest']; update: Schemas['UpdateBudgetRequest']; etag?: string }) =>
      id
        ? ok(api.PATCH('/api/v1/orgs/{org}/budgets/{id}', { params: { path: { org, id }, header: { 'If-Match': etag } }, body: update }))
        : ok(api.POST('/api/v1/orgs/{org}/budgets', { params: { path: { org } }, body })),
    onSuccess: done,
  });
}
