// What the signed-in user may do: the one module that knows about roles. Screens ask these
// functions, passing the resource they show; none of them looks at roles itself.
//
// The API is starting to say so itself: a resource may carry `can` flags, e.g.
// `"can": {"edit": true, "transition": ["results"]}`. Where a resource has them, they decide;
// until every resource does, the role rules below stand in. When they all do, the fallbacks go
// and this file is the only one that changes. Hiding a button is a courtesy: the API decides.
import type { Schemas } from './api-client';

type Me = Schemas['MeResponse'];
type Role = Schemas['RoleDto'];
/** The signed-in user; `undefined` while the session is being restored, `null` when signed out. */
export type User = Me | null | undefined;

/** The flags an API resource may carry about the caller. */
export interface Can {
  edit?: boolean;
  /** The statuses or phases the caller may move the resource to. */
  transition?: readonly string[];
  moderate?: boolean;
  review?: boolean;
}

/** The resource's own `can` flags, when the API sends them. */
export function canFlags(resource: unknown): Can | undefined {
  if (typeof resource !== 'object' || resource === null || !('can' in resource)) return undefined;
  const can = (resource as { can?: unknown }).can;
  return typeof can === 'object' && can !== null ? (can as Can) : undefined;
}

function hasRole(user: User, slug: string, roles: readonly Role[]): boolean {
  return !!user?.memberships.some((m) => m.org_slug === slug && m.roles.some((r) => roles.includes(r)));
}

/** Admins and officials run the organisation's plans, meetings, surveys, consultations and budgets. */
function isStaff(user: User, slug: string): boolean {
  return hasRole(user, slug, ['admin', 'official']);
}

/** Whether the user may create plans, meetings, surveys, budget imports… in the organisation. */
export function canCreate(user: User, slug: string): boolean {
  return isStaff(user, slug);
}

/**
 * Whether the user may edit `resource` (a plan, commitment, meeting, survey, consultation,
 * budget process or proposal) or manage what hangs off it (milestones, updates, registrations).
 * Without the resource at hand, whether they may edit such things in the organisation.
 */
export function canEdit(user: User, slug: string, resource?: unknown): boolean {
  return canFlags(resource)?.edit ?? isStaff(user, slug);
}

/** Whether the user may move `resource` to status or phase `to`. */
export function canTransition(user: User, slug: string, resource: unknown, to: string): boolean {
  const allowed = canFlags(resource)?.transition;
  return allowed ? allowed.includes(to) : isStaff(user, slug);
}

/** Whether the user may assess a budget proposal (feasibility, validated cost). */
export function canReview(user: User, slug: string, proposal?: unknown): boolean {
  return canFlags(proposal)?.review ?? isStaff(user, slug);
}

/** Whether the user may hide opinions and show them again (admins and moderators). */
export function canModerate(user: User, slug: string, resource?: unknown): boolean {
  return canFlags(resource)?.moderate ?? hasRole(user, slug, ['admin', 'moderator']);
}

/** Whether the user may manage the organisation's members and roles. */
export function canManageMembers(user: User, slug: string): boolean {
  return !!user?.platform_admin || hasRole(user, slug, ['admin']);
}

/** Whether the user may create organisations (platform admins). */
export function canCreateOrg(user: User): boolean {
  return !!user?.platform_admin;
}

/** `canEdit` while the session may still be restoring: `undefined` until it is known. */
export function canEditOnceKnown(user: User, slug: string, resource?: unknown): boolean | undefined {
  return user === undefined ? undefined : canEdit(user, slug, resource);
}
