// What the signed-in user may do, as the server says: nothing here knows about roles. A resource
// may carry its own `can` flags (`"can": {"edit": true, "transition": ["results"]}` on plans,
// commitments, meetings, budget processes and proposals); otherwise `/me` says per organisation
// what the user may do there (`memberships[].can`) and on the platform (`can`). Both come from the
// server's one authorization decision. Hiding a button is a courtesy: the API decides.
import type { Schemas } from './api-client';

type Me = Schemas['MeResponse'];
type OrgCan = Schemas['OrgCanDto'];
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

/** What the user may do in the organisation `slug` (nothing when signed out or not a member). */
function inOrg(user: User, slug: string): OrgCan | undefined {
  return user?.memberships.find((m) => m.org_slug === slug)?.can;
}

/** Whether the user may create plans, meetings, surveys, budget imports… in the organisation. */
export function canCreate(user: User, slug: string): boolean {
  return inOrg(user, slug)?.write_content ?? false;
}

/**
 * Whether the user may edit `resource` (a plan, commitment, meeting, survey, consultation,
 * budget process or proposal) or manage what hangs off it (milestones, updates, registrations).
 * Without flags on the resource, whether they may edit such things in the organisation.
 */
export function canEdit(user: User, slug: string, resource?: unknown): boolean {
  return canFlags(resource)?.edit ?? canCreate(user, slug);
}

/** Whether the user may move `resource` to status or phase `to`. */
export function canTransition(user: User, slug: string, resource: unknown, to: string): boolean {
  const allowed = canFlags(resource)?.transition;
  return allowed ? allowed.includes(to) : canCreate(user, slug);
}

/** Whether the user may assess a budget proposal (feasibility, validated cost). */
export function canReview(user: User, slug: string, proposal?: unknown): boolean {
  return canFlags(proposal)?.review ?? canCreate(user, slug);
}

/** Whether the user may hide opinions and show them again. */
export function canModerate(user: User, slug: string, resource?: unknown): boolean {
  return canFlags(resource)?.moderate ?? inOrg(user, slug)?.moderate ?? false;
}

/** Whether the user may manage the organisation's members and roles. */
export function canManageMembers(user: User, slug: string): boolean {
  return (inOrg(user, slug)?.manage_members ?? false) || canCreateOrg(user);
}

/** Whether the user may change the organisation's settings (its admins, platform admins). */
export function canEditOrg(user: User, slug: string): boolean {
  return (inOrg(user, slug)?.edit ?? false) || canCreateOrg(user);
}

/** Whether the user may create organisations. */
export function canCreateOrg(user: User): boolean {
  return user?.can.create_organisation ?? false;
}

/** `canEdit` while the session may still be restoring: `undefined` until it is known. */
export function canEditOnceKnown(user: User, slug: string, resource?: unknown): boolean | undefined {
  return user === undefined ? undefined : canEdit(user, slug, resource);
}

/** Whether the user holds any staff role in the organisation (sees its staff workspace). */
export function canSeeStaffView(user: User, slug: string): boolean {
  return inOrg(user, slug)?.see_staff_view ?? false;
}

/** Whether the user may decide residents' requests to be verified (admins and officials). */
export function canVerifyResidents(user: User, slug: string): boolean {
  return (inOrg(user, slug)?.verify_residents ?? false) || canCreateOrg(user);
}

/**
 * Whether the user answers the organisation's invitations to programmes: its admins only (a
 * platform admin decides nothing for an organisation they do not administer).
 */
export function canAnswerProgrammes(user: User, slug: string): boolean {
  return inOrg(user, slug)?.manage_members ?? false;
}
