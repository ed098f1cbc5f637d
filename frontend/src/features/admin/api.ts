// Administration: an organisation's members and roles, its audit log, and new organisations.
import { keepPreviousData, useMutation, useQuery } from '@tanstack/react-query';
import { api, type Schemas } from '../../lib/api-client';
import { $api, etagKey, ok, useInvalidate, withEtag } from '../../lib/query';

export { useOrg } from '../../lib/org';

const MEMBERS = '/api/v1/orgs/{org}/members';

export function useMembers(org: string) {
  return $api.useQuery('get', MEMBERS, { params: { path: { org }, query: { limit: 100 } } });
}

const INVITATIONS = '/api/v1/orgs/{org}/invitations';

/** The organisation's pending invitations (admins). */
export function usePendingInvitations(org: string) {
  return $api.useQuery('get', INVITATIONS, { params: { path: { org }, query: { status: 'pending', limit: 100 } } });
}

export function useInvite() {
  const invalidate = useInvalidate();
  return $api.useMutation('post', INVITATIONS, { onSuccess: () => invalidate(INVITATIONS) });
}

export function useResendInvitation() {
  const invalidate = useInvalidate();
  return $api.useMutation('post', '/api/v1/orgs/{org}/invitations/{id}/resend', { onSuccess: () => invalidate(INVITATIONS) });
}

export function useRevokeInvitation() {
  const invalidate = useInvalidate();
  return $api.useMutation('delete', '/api/v1/orgs/{org}/invitations/{id}', { onSuccess: () => invalidate(INVITATIONS) });
}

const RESIDENCY_REQUESTS = '/api/v1/orgs/{org}/residency-requests';

/** Residency requests waiting for a decision, oldest first (admins and officials). */
export function usePendingResidencyRequests(org: string) {
  return $api.useQuery('get', RESIDENCY_REQUESTS, { params: { path: { org }, query: { status: 'pending', limit: 100 } } });
}

export function useDecideResidency() {
  const invalidate = useInvalidate();
  return $api.useMutation('post', '/api/v1/orgs/{org}/residency-requests/{id}/decision', {
    onSuccess: () => invalidate(RESIDENCY_REQUESTS, MEMBERS),
  });
}

/** The organisation's residency prompt, as the signed-in admin's standing shows it. */
export function useResidencyStanding(org: string) {
  return $api.useQuery('get', '/api/v1/orgs/{org}/residency', { params: { path: { org } } });
}

export function useSaveResidencyPrompt() {
  const invalidate = useInvalidate();
  return $api.useMutation('put', '/api/v1/orgs/{org}/residency/prompt', { onSuccess: () => invalidate('/api/v1/orgs/{org}/residency') });
}

export function useSaveMember() {
  const invalidate = useInvalidate();
  // Roles change what the API shows the user, so the session's own data may change too.
  return $api.useMutation('put', '/api/v1/orgs/{org}/members/{user_id}', { onSuccess: () => invalidate(MEMBERS) });
}

export function useRemoveMember() {
  const invalidate = useInvalidate();
  return $api.useMutation('delete', '/api/v1/orgs/{org}/members/{user_id}', { onSuccess: () => invalidate(MEMBERS) });
}

export function useCreateOrg() {
  const invalidate = useInvalidate();
  return $api.useMutation('post', '/api/v1/orgs', { onSuccess: () => invalidate('/api/v1/orgs') });
}

/** One page of the organisation's public log of staff changes (newest first), from `cursor`. */
export function useAuditLog(org: string, cursor: string | undefined) {
  return $api.useQuery('get', '/api/v1/orgs/{org}/audit-log', { params: { path: { org }, query: { limit: 50, ...(cursor ? { cursor } : {}) } } }, { placeholderData: keepPreviousData });
}

/** The organisation with its ETag, for its settings (`If-Match`). */
export function useVersionedOrg(slug: string) {
  const init = { params: { path: { org: slug } } };
  return useQuery({ queryKey: etagKey('/api/v1/orgs/{org}', init), queryFn: () => withEtag(api.GET('/api/v1/orgs/{org}', init)) });
}

export function useUpdateOrg(slug: string) {
  const invalidate = useInvalidate();
  return useMutation({
    mutationFn: ({ body, etag }: { body: Schemas['UpdateOrgRequest']; etag?: string }) =>
      ok(api.PATCH('/api/v1/orgs/{org}', { params: { path: { org: slug }, header: { 'If-Match': etag } }, body })),
    onSuccess: () => invalidate('/api/v1/orgs'),
  });
}
const QUEUE = '/api/v1/orgs/{org}/moderation/queue';
const BLOCKS = '/api/v1/orgs/{org}/moderation/blocks';

export type QueueSort = 'newest' | 'most_reported';

/** A page of the moderation queue, from `cursor` on. */
export function useModerationQueue(org: string, sort: QueueSort, cursor?: string) {
  return $api.useQuery('get', QUEUE, { params: { path: { org }, query: { sort, limit: 20, cursor } } });
}

export function useDecide() {
  const invalidate = useInvalidate();
  return $api.useMutation('post', '/api/v1/orgs/{org}/moderation/items/{kind}/{id}/decisions', {
    onSuccess: () => invalidate(QUEUE, '/api/v1/orgs/{org}/threads'),
  });
}

export function useBlocks(org: string) {
  return $api.useQuery('get', BLOCKS, { params: { path: { org } } });
}

export function useBlock() {
  const invalidate = useInvalidate();
  return $api.useMutation('post', BLOCKS, { onSuccess: () => invalidate(BLOCKS) });
}

export function useLiftBlock() {
  const invalidate = useInvalidate();
  return $api.useMutation('delete', '/api/v1/orgs/{org}/moderation/blocks/{id}', { onSuccess: () => invalidate(BLOCKS) });
}

const SETTINGS = '/api/v1/orgs/{org}/moderation/settings';

export function useModerationSettings(org: string) {
  return $api.useQuery('get', SETTINGS, { params: { path: { org } } });
}

export function useSaveModerationSettings() {
  const invalidate = useInvalidate();
  return $api.useMutation('put', SETTINGS, { onSuccess: () => invalidate(SETTINGS) });
}

/** What waits for the organisation's staff (refetched when the window regains focus). */
export function useWorkspace(org: string, enabled: boolean) {
  return $api.useQuery('get', '/api/v1/orgs/{org}/workspace', { params: { path: { org } } }, { enabled });
}

const WEBHOOKS = '/api/v1/orgs/{org}/webhooks';
const WEBHOOK_DELIVERIES = '/api/v1/orgs/{org}/webhooks/{id}/deliveries';

/** The organisation's webhooks (admins). */
export function useWebhooks(org: string) {
  return $api.useQuery('get', WEBHOOKS, { params: { path: { org } } });
}

/** A webhook's newest deliveries. */
export function useWebhookDeliveries(org: string, id: string) {
  return $api.useQuery('get', WEBHOOK_DELIVERIES, { params: { path: { org, id }, query: { limit: 50 } } });
}

export function useCreateWebhook() {
  const invalidate = useInvalidate();
  return $api.useMutation('post', WEBHOOKS, { onSuccess: () => invalidate(WEBHOOKS) });
}

export function useUpdateWebhook() {
  const invalidate = useInvalidate();
  return $api.useMutation('patch', '/api/v1/orgs/{org}/webhooks/{id}', { onSuccess: () => invalidate(WEBHOOKS) });
}

export function useDeleteWebhook() {
  const invalidate = useInvalidate();
  return $api.useMutation('delete', '/api/v1/orgs/{org}/webhooks/{id}', { onSuccess: () => invalidate(WEBHOOKS) });
}

export function useRotateWebhookSecret() {
  return $api.useMutation('post', '/api/v1/orgs/{org}/webhooks/{id}/secret');
}

export function usePingWebhook() {
  const invalidate = useInvalidate();
  return $api.useMutation('post', '/api/v1/orgs/{org}/webhooks/{id}/ping', { onSuccess: () => invalidate(WEBHOOK_DELIVERIES) });
}

export function useRedeliver() {
  const invalidate = useInvalidate();
  return $api.useMutation('post', '/api/v1/orgs/{org}/webhooks/{id}/deliveries/{delivery}/redeliver', { onSuccess: () => invalidate(WEBHOOK_DELIVERIES) });
}

function logoForm(file: File): FormData {
  const fd = new FormData();
  fd.append('file', file, file.name);
  return fd;
}

/** Uploads an image as the organisation's logo (replacing the one it had). */
export function useSetLogo(slug: string) {
  const invalidate = useInvalidate();
  return useMutation({
    mutationFn: (file: File) => ok(api.PUT('/api/v1/orgs/{org}/logo', { params: { path: { org: slug } }, body: {} as never, bodySerializer: () => logoForm(file) })),
    onSuccess: () => invalidate('/api/v1/orgs'),
  });
}

export function useRemoveLogo(slug: string) {
  const invalidate = useInvalidate();
  return useMutation({
    mutationFn: () => ok(api.DELETE('/api/v1/orgs/{org}/logo', { params: { path: { org: slug } } })),
    onSuccess: () => invalidate('/api/v1/orgs'),
  });
}
