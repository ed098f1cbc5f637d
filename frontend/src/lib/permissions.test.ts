import { describe, expect, it } from 'vitest';
import { canCreate, canCreateOrg, canEdit, canManageMembers, canModerate, canTransition } from './permissions';

type Role = 'admin' | 'official' | 'moderator';
// `can` as the server computes it for these roles (crates/domain/src/auth.rs, Caller::can_in):
// the test feeds the flags, this module must only read them.
const flags = (roles: Role[]) => ({
  edit: roles.includes('admin'),
  manage_members: roles.includes('admin'),
  write_content: roles.includes('admin') || roles.includes('official'),
  moderate: roles.includes('admin') || roles.includes('moderator'),
  see_staff_view: roles.length > 0,
  verify_residents: roles.includes('admin') || roles.includes('official'),
});
const user = (roles: Role[], org_slug = 'bb', platform_admin = false) => ({
  id: 'u',
  email: 'a@b.c',
  display_name: 'A',
  locale: 'sk' as const,
  platform_admin,
  email_verified: true,
  created_at: '',
  can: { create_organisation: platform_admin },
  memberships: [{ org_id: 'o', org_slug, roles, verified: false, can: flags(roles) }],
});

describe('the organisation flags from /me (resources without `can`)', () => {
  it('lets those who may write content in that organisation only create and edit', () => {
    expect(canCreate(user(['official']), 'bb')).toBe(true);
    expect(canEdit(user(['admin']), 'bb', {})).toBe(true);
    expect(canEdit(user(['moderator']), 'bb')).toBe(false);
    expect(canEdit(user(['admin'], 'other'), 'bb')).toBe(false);
    expect(canEdit(null, 'bb')).toBe(false);
    expect(canEdit(undefined, 'bb')).toBe(false);
  });
  it('lets admins and moderators moderate, admins manage members, platform admins create orgs', () => {
    expect(canModerate(user(['moderator']), 'bb')).toBe(true);
    expect(canModerate(user(['official']), 'bb')).toBe(false);
    expect(canManageMembers(user(['admin']), 'bb')).toBe(true);
    expect(canManageMembers(user(['official']), 'bb')).toBe(false);
    expect(canManageMembers(user([], 'x', true), 'bb')).toBe(true);
    expect(canCreateOrg(user(['admin']))).toBe(false);
    expect(canCreateOrg(user([], 'x', true))).toBe(true);
  });
});

describe('`can` flags on a resource', () => {
  it('decide over roles when the API sends them', () => {
    const plan = { id: 'p', can: { edit: false, transition: ['results'] } };
    expect(canEdit(user(['admin']), 'bb', plan)).toBe(false);
    expect(canEdit(null, 'bb', { can: { edit: true } })).toBe(true);
    expect(canTransition(user(['admin']), 'bb', plan, 'results')).toBe(true);
    expect(canTransition(user(['admin']), 'bb', plan, 'voting')).toBe(false);
    expect(canTransition(user(['admin']), 'bb', { id: 'p' }, 'voting')).toBe(true);
    expect(canTransition(user(['moderator']), 'bb', { id: 'p' }, 'voting')).toBe(false);
  });
});
