// The action plans' data: queries keyed by resource (path template, then parameters) and
// mutations that invalidate what they change, so screens never reload by hand.
import { useMutation, useQuery } from '@tanstack/react-query';
import { api, type Schemas } from '../../lib/api-client';
import { $api, etagKey, ok, useInvalidate, withEtag } from '../../lib/query';

export { useOrg } from '../../lib/org';

const PLANS = '/api/v1/orgs/{org}/action-plans';
const COMMITMENTS = '/api/v1/orgs/{org}/commitments';

export function usePlans(org: string) {
  return $api.useQuery('get', PLANS, { params: { path: { org }, query: { limit: 100 } } });
}

/** A plan with its ETag (its edit sends `If-Match`); not fetched without an `id`. */
export function usePlan(org: string, id: string | undefined) {
  const init = { params: { path: { org, id: id ?? '' } } };
  return useQuery({
    queryKey: etagKey(`${PLANS}/{id}`, init),
    queryFn: () => withEtag(api.GET('/api/v1/orgs/{org}/action-plans/{id}', init)),
    enabled: !!id,
  });
}

export function usePlanOverview(org: string, id: string) {
  return $api.useQuery('get', '/api/v1/orgs/{org}/action-plans/{id}/overview', { params: { path: { org, id } } });
}

export function useCommitments(org: string, planId: string) {
  return $api.useQuery('get', COMMITMENTS, { params: { path: { org }, query: { action_plan: planId, limit: 100 } } });
}

/** A commitment with its ETag (edits of it and of its milestones send `If-Match`). */
export function useCommitment(org: string, id: string | undefined) {
  const init = { params: { path: { org, id: id ?? '' } } };
  return useQuery({
    queryKey: etagKey(`${COMMITMENTS}/{id}`, init),
    queryFn: () => withEtag(api.GET('/api/v1/orgs/{org}/commitments/{id}', init)),
    enabled: !!id,
  });
}

export function useCommitmentHistory(org: string, id: string) {
  return $api.useQuery('get', '/api/v1/orgs/{org}/commitments/{id}/updates', { params: { path: { org, id }, query: { limit: 100 } } });
}

export function useCoOwners(org: string, id: string) {
  return $api.useQuery('get', '/api/v1/orgs/{org}/commitments/{id}/co-owners', { params: { path: { org, id }, query: { limit: 100 } } });
}

/** Anything written in a plan changes its overview and its commitments' completion. */
function useInvalidatePlans() {
  const invalidate = useInvalidate();
  return () => invalidate(PLANS, COMMITMENTS);
}

export function useTransitionPlan() {
  const done = useInvalidatePlans();
  return $api.useMutation('post', '/api/v1/orgs/{org}/action-plans/{id}/transitions', { onSuccess: done });
}

/** Creates a plan, or (with `id` and the ETag it was read at) edits one. */
export function useSavePlan(org: string, id: string | undefined) {
  const done = useInvalidatePlans();
  return useMutation({
    mutationFn: ({ body, etag }: { body: Schemas['CreatePlanRequest']; etag?: string }) =>
      id
        ? ok(api.PATCH('/api/v1/orgs/{org}/action-plans/{id}', { params: { path: { org, id }, header: { 'If-Match': etag } }, body }))
        : ok(api.POST('/api/v1/orgs/{org}/action-plans', { params: { path: { org } }, body })),
    onSuccess: done,
  });
}

/** Creates a commitment in plan `planId`, or (with `id` and its ETag) edits one. */
export function useSaveCommitment(org: string, planId: string, id: string | undefined) {
  const done = useInvalidatePlans();
  return useMutation({
    mutationFn: ({ body, etag }: { body: Omit<Schemas['CreateCommitmentRequest'], 'action_plan_id'>; etag?: string }) =>
      id
        ? ok(api.PATCH('/api/v1/orgs/{org}/commitments/{id}', { params: { path: { org, id }, header: { 'If-Match': etag } }, body }))
        : ok(api.POST('/api/v1/orgs/{org}/commitments', { params: { path: { org } }, body: { ...body, action_plan_id: planId } })),
    onSuccess: done,
  });
}

export function useAddMilestone() {
  const done = useInvalidatePlans();
  return $api.useMutation('post', '/api/v1/orgs/{org}/commitments/{id}/milestones', { onSuccess: done });
}

export function useUpdateMilestone() {
  const done = useInvalidatePlans();
  return $api.useMutation('patch', '/api/v1/orgs/{org}/commitments/{id}/milestones/{milestone_id}', { onSuccess: done });
}

export function usePostProgress() {
  const done = useInvalidatePlans();
  return $api.useMutation('post', '/api/v1/orgs/{org}/commitments/{id}/updates', { onSuccess: done });
}

function useInvalidateCoOwners() {
  const invalidate = useInvalidate();
  return () => invalidate(`${COMMITMENTS}/{id}/co-owners`);
}

export function useJoinCommitment() {
  const done = useInvalidateCoOwners();
  return $api.useMutation('post', '/api/v1/orgs/{org}/commitments/{id}/co-owners', { onSuccess: done });
}

export function useWithdrawFromCommitment() {
  const done = useInvalidateCoOwners();
  return $api.useMutation('delete', '/api/v1/orgs/{org}/commitments/{id}/co-owners/me', { onSuccess: done });
}

export function useDecideCoOwner() {
  const done = useInvalidateCoOwners();
  return $api.useMutation('patch', '/api/v1/orgs/{org}/commitments/{id}/co-owners/{co_owner_id}', { onSuccess: done });
}

/** Imports (or with `dryRun` only checks) a CSV in OGP's commitment format into the plan. */
export function useOgpImport(org: string, id: string) {
  const invalidate = useInvalidate();
  return useMutation({
    mutationFn: ({ file, dryRun }: { file: File; dryRun: boolean }) =>
      ok(
        api.POST('/api/v1/orgs/{org}/action-plans/{id}/ogp-import', {
          params: { path: { org, id }, query: { dry_run: dryRun } },
          body: '',
          headers: { 'Content-Type': 'text/csv' },
          bodySerializer: () => file,
        }),
      ),
    onSuccess: (r) => {
      if (!r.dry_run) void invalidate('/api/v1/orgs/{org}/action-plans', '/api/v1/orgs/{org}/commitments');
    },
  });
}
