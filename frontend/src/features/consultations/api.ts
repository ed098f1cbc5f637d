// Consultations and surveys: queries keyed by resource and mutations that invalidate what
// they change.
import { useMutation, useQuery } from '@tanstack/react-query';
import { api, type Schemas } from '../../lib/api-client';
import { $api, etagKey, ok, useInvalidate, withEtag } from '../../lib/query';

export { useOrg } from '../../lib/org';

const CONSULTATIONS = '/api/v1/orgs/{org}/consultations';
const SURVEYS = '/api/v1/orgs/{org}/surveys';

export function useConsultations(org: string, status: Schemas['StatusDto']) {
  return $api.useQuery('get', CONSULTATIONS, { params: { path: { org }, query: { status, limit: 100 } } });
}

export function useConsultation(org: string, id: string) {
  return $api.useQuery('get', '/api/v1/orgs/{org}/consultations/{id}', { params: { path: { org, id } } });
}

export function useOpinions(org: string, id: string) {
  return $api.useQuery('get', '/api/v1/orgs/{org}/consultations/{id}/opinions', { params: { path: { org, id }, query: { limit: 100 } } });
}

function useInvalidateConsultations() {
  const invalidate = useInvalidate();
  return () => invalidate(CONSULTATIONS);
}

export function useGiveOpinion() {
  const done = useInvalidateConsultations();
  return $api.useMutation('post', '/api/v1/orgs/{org}/consultations/{id}/opinions', { onSuccess: done });
}

/** Answers an opinion or hides it (each a PATCH with only its own field). */
export function useUpdateOpinion() {
  const done = useInvalidateConsultations();
  return $api.useMutation('patch', '/api/v1/orgs/{org}/consultations/{id}/opinions/{opinion_id}', { onSuccess: done });
}

export function usePublishReport() {
  const done = useInvalidateConsultations();
  return $api.useMutation('post', '/api/v1/orgs/{org}/consultations/{id}/report', { onSuccess: done });
}

export function useSurvey(org: string, id: string) {
  return $api.useQuery('get', '/api/v1/orgs/{org}/surveys/{id}', { params: { path: { org, id } } });
}

/** A survey with its ETag, for its edit (`If-Match`); not fetched without an id. */
export function useVersionedSurvey(org: string, id: string | undefined) {
  const init = { params: { path: { org, id: id ?? '' } } };
  return useQuery({
    queryKey: etagKey(`${SURVEYS}/{id}`, init),
    queryFn: () => withEtag(api.GET('/api/v1/orgs/{org}/surveys/{id}', init)),
    enabled: !!id,
  });
}

/** Whether the caller answered the survey (signed out, a 401 that nothing reads). */
export function useMySurveyResponse(org: string, id: string, enabled: boolean) {
  return $api.useQuery('get', '/api/v1/orgs/{org}/surveys/{id}/responses/mine', { params: { path: { org, id } } }, { enabled });
}

export function useSurveyResults(org: string, id: string) {
  return $api.useQuery('get', '/api/v1/orgs/{org}/surveys/{id}/results', { params: { path: { org, id } } });
}

export function useRespond() {
  const invalidate = useInvalidate();
  return $api.useMutation('post', '/api/v1/orgs/{org}/surveys/{id}/responses', { onSuccess: () => invalidate(`${SURVEYS}/{id}/responses`, `${SURVEYS}/{id}/results`) });
}

type SurveyBody = Schemas['CreateSurveyRequest'];

/** Creates a survey, or (with `id` and the ETag it was read at) edits one. */
export function useSaveSurvey(org: string, id: string | undefined) {
  const invalidate = useInvalidate();
  return useMutation({
    mutationFn: ({ body, update, etag }: { body: SurveyBody; update: Schemas['UpdateSurveyRequest']; etag?: string }) =>
      id
        ? ok(api.PATCH('/api/v1/orgs/{org}/surveys/{id}', { params: { path: { org, id }, header: { 'If-Match': etag } }, body: update }))
        : ok(api.POST('/api/v1/orgs/{org}/surveys', { params: { path: { org } }, body })),
    onSuccess: () => invalidate(SURVEYS, CONSULTATIONS),
  });
}

/** The organisation's surveys (for staff linking one to a consultation). */
export function useSurveys(org: string, enabled = true) {
  return $api.useQuery('get', SURVEYS, { params: { path: { org }, query: { limit: 100 } } }, { enabled });
}

/** A consultation with its ETag (its edit sends `If-Match`); not fetched without an `id`. */
export function useVersionedConsultation(org: string, id: string | undefined) {
  const init = { params: { path: { org, id: id ?? '' } } };
  return useQuery({
    queryKey: etagKey(`${CONSULTATIONS}/{id}`, init),
    queryFn: () => withEtag(api.GET('/api/v1/orgs/{org}/consultations/{id}', init)),
    enabled: !!id,
  });
}

/** Creates a consultation, or (with `id` and the ETag it was read at) edits one. */
export function useSaveConsultation(org: string, id: string | undefined) {
  const done = useInvalidateConsultations();
  return useMutation({
    mutationFn: ({ body, update, etag }: { body: Schemas['CreateConsultationRequest']; update: Schemas['UpdateConsultationRequest']; etag?: string }) =>
      id
        ? ok(api.PATCH('/api/v1/orgs/{org}/consultations/{id}', { params: { path: { org, id }, header: { 'If-Match': etag } }, body: update }))
        : ok(api.POST('/api/v1/orgs/{org}/consultations', { params: { path: { org } }, body })),
    onSuccess: done,
  });
}
