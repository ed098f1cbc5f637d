// Who manages surveys, and loading with the ETag kept for `If-Match` edits.
import type { Schemas } from '../../../lib/api-client';
import type { Locale } from '../../../lib/language';

type Me = Schemas['MeResponse'];

/** Admins and officials of the organisation create and edit its surveys. */
export function isStaff(user: Me | null | undefined, slug: string): boolean {
  return !!user?.memberships.some((m) => m.org_slug === slug && (m.roles.includes('admin') || m.roles.includes('official')));
}

/** The organisation's languages, its default first. */
export function orgLocales(org: { default_locale: Locale; locales: Locale[] }): Locale[] {
  return [org.default_locale, ...org.locales.filter((l) => l !== org.default_locale)];
}

/** Keeps a GET's ETag next to its data, so a later write can say which version it changes. */
export async function withEtag<T>(request: Promise<{ data?: T; error?: unknown; response: Response }>) {
  const r = await request;
  return { ...r, data: r.data === undefined ? undefined : { item: r.data, etag: r.response.headers.get('ETag') ?? undefined } };
}

/** Admins and moderators of the organisation hide opinions and show them again. */
export function canModerate(user: Me | null | undefined, slug: string): boolean {
  return !!user?.memberships.some((m) => m.org_slug === slug && (m.roles.includes('admin') || m.roles.includes('moderator')));
}

/**
 * Field errors of a localized text field (`text`, `text.pl`) by locale: an error about the
 * whole text goes to the first (default) locale's input.
 */
export function localizedFieldErrors(problem: unknown, field: string, locales: readonly Locale[]): Partial<Record<Locale, string>> {
  const out: Partial<Record<Locale, string>> = {};
  const errors = (problem as { errors?: { field: string; message: string }[] } | undefined)?.errors ?? [];
  for (const e of errors) {
    if (e.field === field && locales[0]) out[locales[0]] ??= e.message;
    else if (e.field.startsWith(`${field}.`)) {
      const l = e.field.slice(field.length + 1) as Locale;
      out[locales.includes(l) ? l : (locales[0] as Locale)] ??= e.message;
    }
  }
  return out;
}
