// Signing in and up, and the signed-in user's own account, as mutations over the one client.
import { $api, useInvalidate } from '../../lib/query';

export function useLogin() {
  return $api.useMutation('post', '/api/v1/auth/login');
}

export function useRegister() {
  return $api.useMutation('post', '/api/v1/auth/register');
}

/** The new profile goes to the session (`setUser`) by the caller; nothing cached shows it. */
export function useUpdateProfile() {
  return $api.useMutation('patch', '/api/v1/me');
}

export function useChangePassword() {
  return $api.useMutation('post', '/api/v1/me/password');
}

const TOKENS = '/api/v1/me/tokens';

export function useApiTokens() {
  return $api.useQuery('get', TOKENS);
}

export function useCreateApiToken() {
  const invalidate = useInvalidate();
  return $api.useMutation('post', TOKENS, { onSuccess: () => invalidate(TOKENS) });
}

export function useRevokeApiToken() {
  const invalidate = useInvalidate();
  return $api.useMutation('delete', '/api/v1/me/tokens/{id}', { onSuccess: () => invalidate(TOKENS) });
}

export function useVerifyEmail() {
  return $api.useMutation('post', '/api/v1/auth/verify-email');
}

export function useResendVerification() {
  return $api.useMutation('post', '/api/v1/auth/verification-email');
}

export function useRequestPasswordReset() {
  return $api.useMutation('post', '/api/v1/auth/password-reset');
}

export function useResetPassword() {
  return $api.useMutation('post', '/api/v1/auth/password-reset/confirm');
}

export function useRequestEmailChange() {
  return $api.useMutation('post', '/api/v1/me/email');
}

export function useConfirmEmailChange() {
  return $api.useMutation('post', '/api/v1/auth/confirm-email');
}

/** What an invitation link invites to (public). */
export function useInvitationPreview(token: string) {
  return $api.useQuery('post', '/api/v1/invitations/preview', { body: { token } }, { enabled: token !== '', retry: false });
}

export function useAcceptInvitation() {
  return $api.useMutation('post', '/api/v1/invitations/accept');
}

const DATA_EXPORT = '/api/v1/me/data-export';

/** The latest archive request (404: none); polled while the server makes it. */
export function useDataExport() {
  return $api.useQuery('get', DATA_EXPORT, {}, {
    retry: false,
    refetchInterval: (q) => (q.state.data?.status === 'pending' ? 2000 : false),
  });
}

export function useRequestDataExport() {
  const invalidate = useInvalidate();
  return $api.useMutation('post', DATA_EXPORT, { onSuccess: () => invalidate(DATA_EXPORT) });
}

export function useDeleteAccount() {
  return $api.useMutation('post', '/api/v1/me/delete');
}
