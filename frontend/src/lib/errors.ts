// The one place server problems become words: every problem code the API sends has a message
// `errors.<code>` in each language (locales/*.json); errors.test.ts fails when one is missing.
import type { TFunction } from 'i18next';
import type { components } from '../api/schema';

/**
 * Every `code` a problem+json of the API may carry (crates/api/src: `ApiError::new`,
 * `conflict`, `with_code`). Keep sorted. When the spec publishes its `ErrorCode` enum, the check
 * below compares the two; `ErrorCode` then becomes the spec's and this list only feeds tests.
 */
export const ERROR_CODES = [
  'already-co-owner',
  'already-in-programme',
  'already-registered',
  'already-reported',
  'already-responded',
  'already-supported',
  'already-verified',
  'bad-query',
  'bad-request',
  'ballot-key-changed',
  'ballot-rule-broken',
  'commenting-blocked',
  'comments-closed',
  'consultation-not-closed',
  'consultation-not-open',
  'duplicate-submission',
  'edit-window-over',
  'email-not-verified',
  'email-taken',
  'forbidden',
  'idempotency-key-reused',
  'internal',
  'invalid-token',
  'invalid-transition',
  'invitation-for-another-address',
  'invitation-pending',
  'last-admin',
  'malformed-json',
  'meeting-full',
  'meeting-not-held',
  'method-not-allowed',
  'not-a-winner',
  'not-feasible',
  'not-found',
  'not-verified',
  'one-district-only',
  'payload-too-large',
  'period-locked',
  'precondition-failed',
  'precondition-required',
  'range-not-satisfiable',
  'rate-limited',
  'read-only-token',
  'registration-closed',
  'report-already-published',
  'residency-request-pending',
  'results-busy',
  'rules-fixed',
  'slug-taken',
  'survey-not-open',
  'survey-settings-locked',
  'survey-structure-locked',
  'too-many-attempts',
  'unauthorized',
  'unavailable',
  'unsupported-media-type',
  'validation-failed',
  'wrong-password',
  'wrong-phase',
] as const;

type Schemas = components['schemas'];
type ListedCode = (typeof ERROR_CODES)[number];

/** The spec's `ErrorCode` enum once the API publishes it; until then, our list. */
type SpecErrorCode = Schemas extends { ErrorCode: infer C } ? C : ListedCode;

/** A problem code of the API. */
export type ErrorCode = SpecErrorCode;

type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
/**
 * Type-level check: `ERROR_CODES` lists exactly the spec's codes (trivially true while the spec
 * has no `ErrorCode`). A code added to the API fails `npm run typecheck` here until it is listed,
 * and the vitest then fails until every language has words for it.
 */
export const ERROR_CODES_MATCH_SPEC: Same<ListedCode, SpecErrorCode> = true;

/** Every code, typed as the spec's. */
export const ALL_ERROR_CODES: readonly ErrorCode[] = ERROR_CODES;

const KNOWN: ReadonlySet<string> = new Set<string>(ALL_ERROR_CODES);

export function isErrorCode(code: unknown): code is ErrorCode {
  return typeof code === 'string' && KNOWN.has(code);
}

/** One field's error as the API reports it (`title.sk`, `agenda[0].title`, `email`). */
export interface FieldError {
  field: string;
  message: string;
}

/** An RFC 9457 problem as the API sends it. */
export interface Problem {
  type?: string;
  code?: ErrorCode | (string & {});
  title?: string;
  status?: number;
  detail?: string;
  errors?: FieldError[];
}

/** The spec's problem is one of ours (checked by the compiler, also once its `code` is `ErrorCode`). */
export type ApiProblem = Schemas['Problem'];
export const SPEC_PROBLEM_FITS: ApiProblem extends Problem ? true : false = true;

export function isProblem(value: unknown): value is Problem {
  return typeof value === 'object' && value !== null && ('status' in value || 'code' in value);
}

/** The problem's code when it is one the API documents. */
export function problemCode(problem: unknown): ErrorCode | undefined {
  return isProblem(problem) && isErrorCode(problem.code) ? problem.code : undefined;
}

/** The i18n key of a code's message. */
export function errorKey(code: ErrorCode): `errors.${ErrorCode}` {
  return `errors.${code}`;
}

/**
 * One sentence for the user, in their language: a documented code in our words, an unknown
 * code in the server's `detail`, a server failure without internals, a network failure as such.
 */
export function problemMessage(problem: unknown, t: TFunction): string {
  if (!isProblem(problem)) return t('errors.network');
  if (isErrorCode(problem.code)) return t(errorKey(problem.code));
  if (problem.status && problem.status >= 500) return t('errors.internal');
  return problem.detail ?? t('errors.generic');
}

function fieldErrorList(problem: unknown): FieldError[] {
  return isProblem(problem) && Array.isArray(problem.errors) ? problem.errors : [];
}

/** Field errors by their full path (`title.sk`, `end_date`), the first message of each. */
export function errorsByPath(problem: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  for (const e of fieldErrorList(problem)) out[e.field] ??= e.message;
  return out;
}

/** Field errors by top-level field (`name.sk` → `name`), the first message of each. */
export function fieldErrors(problem: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  for (const e of fieldErrorList(problem)) {
    const key = e.field.split(/[.[]/)[0] ?? e.field;
    out[key] ??= e.message;
  }
  return out;
}

/** The error for `name`, whether the API named the field itself or one of its parts. */
export function errorFor(errors: Record<string, string>, name: string): string | undefined {
  if (errors[name]) return errors[name];
  const key = Object.keys(errors).find((k) => k.startsWith(`${name}.`) || k.startsWith(`${name}[`));
  return key ? errors[key] : undefined;
}

/** A problem of our own for one field, shaped like the API's 422 (client-side checks). */
export function fieldProblem(field: string, message: string): Problem {
  return { status: 422, code: 'validation-failed', errors: [{ field, message }] };
}
