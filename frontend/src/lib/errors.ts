import type { TFunction } from 'i18next';

/** An RFC 9457 problem as the API sends it. */
export interface Problem {
  type?: string;
  code?: string;
  title?: string;
  status?: number;
  detail?: string;
  errors?: { field: string; message: string }[];
}

export function isProblem(value: unknown): value is Problem {
  return typeof value === 'object' && value !== null && ('status' in value || 'code' in value);
}

/** Codes with a message of our own in every language; the rest fall back to the status. */
const KNOWN = new Set([
  'unauthorized',
  'forbidden',
  'not-found',
  'validation-failed',
  'email-taken',
  'slug-taken',
  'last-admin',
  'too-many-attempts',
  'precondition-failed',
  'meeting-full',
  'meeting-not-held',
  'invalid-transition',
  'already-registered',
  'consultation-not-open',
  'wrong-password',
  'payload-too-large',
  'internal',
]);

/** One sentence for the user, in their language: the one place server codes become words. */
export function problemMessage(problem: unknown, t: TFunction): string {
  if (!isProblem(problem)) return t('errors.network');
  if (problem.code && KNOWN.has(problem.code)) return t(`errors.${problem.code}`);
  if (problem.status && problem.status >= 500) return t('errors.internal');
  return problem.detail ?? t('errors.generic');
}

/** Field errors by field name (the first message for each). */
export function fieldErrors(problem: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (isProblem(problem)) {
    for (const e of problem.errors ?? []) {
      const key = e.field.split('.')[0] ?? e.field;
      out[key] ??= e.message;
    }
  }
  return out;
}
