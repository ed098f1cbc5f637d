import { describe, expect, it } from 'vitest';
import { canModerate, isStaff, localizedFieldErrors } from './staff';

const user = (roles: ('admin' | 'official' | 'moderator')[], org_slug = 'sosnowiec') =>
  ({ memberships: [{ org_slug, roles, verified: true }] }) as unknown as Parameters<typeof isStaff>[0];

describe('who may do what', () => {
  it('lets admins and officials answer, admins and moderators moderate, only in their organisation', () => {
    expect(isStaff(user(['official']), 'sosnowiec')).toBe(true);
    expect(isStaff(user(['moderator']), 'sosnowiec')).toBe(false);
    expect(canModerate(user(['moderator']), 'sosnowiec')).toBe(true);
    expect(canModerate(user(['admin']), 'sosnowiec')).toBe(true);
    expect(canModerate(user(['official']), 'sosnowiec')).toBe(false);
    expect(canModerate(user(['admin'], 'bedzin'), 'sosnowiec')).toBe(false);
    expect(canModerate(null, 'sosnowiec')).toBe(false);
  });
});

describe('localizedFieldErrors', () => {
  it('puts a locale’s error at its input and an error about the whole text at the default locale', () => {
    const problem = {
      status: 422,
      errors: [
        { field: 'text', message: 'required' },
        { field: 'text.en', message: 'too long' },
        { field: 'title', message: 'other' },
      ],
    };
    expect(localizedFieldErrors(problem, 'text', ['pl', 'en'])).toEqual({ pl: 'required', en: 'too long' });
    expect(localizedFieldErrors(undefined, 'text', ['pl'])).toEqual({});
  });
});
