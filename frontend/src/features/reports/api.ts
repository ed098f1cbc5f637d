// Residents' reports and proposals: queries keyed by resource and mutations that invalidate what
// they change.
import { $api, useInvalidate } from '../../lib/query';
import type { Schemas } from '../../lib/api-client';

export { useOrg } from '../../lib/org';

const REPORTS = '/api/v1/orgs/{org}/resident-reports';

export type ReportStatus = Schemas['ReportStatusDto'];
export type ReportKind = Schemas['ReportKindDto'];
export const STATUSES: ReportStatus[] = ['received', 'accepted', 'in_progress', 'resolved', 'declined', 'duplicate'];
export const KINDS: ReportKind[] = ['report', 'proposal'];

/** Where each status may go (the server's graph; it decides, this only offers the choices). */
export const NEXT: Record<ReportStatus, ReportStatus[]> = {
  received: ['accepted', 'in_progress', 'resolved', 'declined', 'duplicate'],
  accepted: ['in_progress', 'resolved', 'declined', 'duplicate'],
  in_progress: ['resolved', 'declined'],
  resolved: ['in_progress'],
  declined: [],
  duplicate: [],
};

export interface ReportFilters {
  category?: string;
  status?: ReportStatus;
  kind?: ReportKind;
  from?: string;
  to?: string;
  sort?: string;
}

export function useReports(org: string, f: ReportFilters) {
  return $api.useQuery('get', REPORTS, { params: { path: { org }, query: { ...f, limit: 100 } } });
}

export function useReport(org: string, id: string) {
  return $api.useQuery('get', '/api/v1/orgs/{org}/resident-reports/{id}', { params: { path: { org, id } } });
}

export function useReportQueue(org: string, department: string | undefined) {
  return $api.useQuery('get', '/api/v1/orgs/{org}/resident-reports/queue', {
    params: { path: { org }, query: { department: department || undefined, limit: 100 } },
  });
}

export function useReportStats(org: string) {
  return $api.useQuery('get', '/api/v1/orgs/{org}/resident-reports/stats', { params: { path: { org } } });
}

export function useCategories(org: string) {
  return $api.useQuery('get', '/api/v1/orgs/{org}/report-categories', { params: { path: { org } } });
}

function useInvalidateReports() {
  const invalidate = useInvalidate();
  return () => invalidate(REPORTS);
}

export function useFileReport() {
  const done = useInvalidateReports();
  return $api.useMutation('post', REPORTS, { onSuccess: done });
}

export function useTransition() {
  const done = useInvalidateReports();
  return $api.useMutation('post', '/api/v1/orgs/{org}/resident-reports/{id}/transitions', { onSuccess: done });
}

export function useSupport() {
  const done = useInvalidateReports();
  return $api.useMutation('post', '/api/v1/orgs/{org}/resident-reports/{id}/supports', { onSuccess: done });
}

export function useWithdrawSupport() {
  const done = useInvalidateReports();
  return $api.useMutation('delete', '/api/v1/orgs/{org}/resident-reports/{id}/supports', { onSuccess: done });
}

export function useAnswer() {
  const done = useInvalidateReports();
  return $api.useMutation('post', '/api/v1/orgs/{org}/resident-reports/{id}/answers', { onSuccess: done });
}
