import { useAuth } from '../../../lib/auth';

/**
 * Whether the signed-in user may write meetings of `slug` (its admin or official): `undefined`
 * while the session is being restored. Only hides staff screens; the API decides.
 */
export function useMeetingStaff(slug: string): boolean | undefined {
  const { user } = useAuth();
  if (user === undefined) return undefined;
  return !!user?.memberships.some((m) => m.org_slug === slug && m.roles.some((r) => r === 'admin' || r === 'official'));
}
