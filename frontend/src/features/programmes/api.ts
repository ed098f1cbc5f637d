// Programmes across municipalities: the public list and page, the platform admins' create and
// invite, and an organisation's invitations with its admin's answer.
import { $api, useInvalidate } from '../../lib/query';
import type { Schemas } from '../../lib/api-client';

export type ProgrammeOverview = Schemas['ProgrammeOverviewResponse'];
export type MemberOverview = Schemas['ProgrammeMemberOverview'];

export function useProgrammes() {
  return $api.useQuery('get', '/api/v1/programmes');
}

export function useProgramme(slug: string) {
  return $api.useQuery('get', '/api/v1/programmes/{programme}', { params: { path: { programme: slug } } });
}

export function useProgrammeOverview(slug: string) {
  return $api.useQuery('get', '/api/v1/programmes/{programme}/overview', { params: { path: { programme: slug } } });
}

export function useOrgProgrammes(org: string, enabled: boolean) {
  return $api.useQuery('get', '/api/v1/orgs/{org}/programmes', { params: { path: { org } } }, { enabled });
}

function useInvalidateProgrammes() {
  const invalidate = useInvalidate();
  return () => invalidate('/api/v1/programmes', '/api/v1/orgs/{org}/programmes');
}

export function useCreateProgramme() {
  const done = useInvalidateProgrammes();
  return $api.useMutation('post', '/api/v1/programmes', { onSuccess: done });
}

export function useInvite() {
  const done = useInvalidateProgrammes();
  return $api.useMutation('post', '/api/v1/programmes/{programme}/members', { onSuccess: done });
}

export function useDecide() {
  const done = useInvalidateProgrammes();
  return $api.useMutation('post', '/api/v1/orgs/{org}/programmes/{programme}/decision', { onSuccess: done });
}

/** The programme page's CSV export. */
export function csvUrl(slug: string): string {
  return `/api/v1/programmes/${encodeURIComponent(slug)}/overview.csv`;
}

/** The programme page's JSON. */
export function jsonUrl(slug: string): string {
  return `/api/v1/programmes/${encodeURIComponent(slug)}/overview`;
}
