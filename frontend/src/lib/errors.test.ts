/// <reference types="vite/client" />
import { describe, expect, it } from 'vitest';
import type { TFunction } from 'i18next';
import en from '../locales/en.json';
import pl from '../locales/pl.json';
import sk from '../locales/sk.json';
import sr from '../locales/sr-Latn.json';
import { ALL_ERROR_CODES, ERROR_CODES, errorFor, errorsByPath, fieldErrors, problemMessage, type ErrorCode } from './errors';

const t = ((key: string) => `T(${key})`) as unknown as TFunction;

// Type-level: the English catalogue has a message for every code (the others are checked
// against English by locales.test.ts, and at run time below).
type Missing = Exclude<ErrorCode, keyof (typeof en)['errors']>;
const noneMissing: [Missing] extends [never] ? true : Missing = true;

type Spec = { components?: { schemas?: Record<string, { enum?: string[] }> } };
const specs = import.meta.glob<Spec>('../../../openapi/openapi.json', { eager: true, import: 'default' });

/** The codes to check: the spec's `ErrorCode` enum when it has one, and our list. */
function codes(): string[] {
  const fromSpec = Object.values(specs).flatMap((s) => s.components?.schemas?.ErrorCode?.enum ?? []);
  return [...new Set([...fromSpec, ...ALL_ERROR_CODES])].sort();
}

describe('error codes', () => {
  it('every code has a message in every language', () => {
    expect(noneMissing).toBe(true);
    expect(codes().length).toBeGreaterThanOrEqual(ERROR_CODES.length);
    for (const [name, lang] of Object.entries({ en, sk, pl, sr })) {
      const messages = lang.errors as Record<string, string | undefined>;
      const missing = codes().filter((c) => !messages[c]?.trim());
      expect(missing, `${name} lacks errors.<code> for`).toEqual([]);
    }
  });

  it('the list is sorted and has no duplicates', () => {
    expect([...ERROR_CODES]).toEqual([...new Set(ERROR_CODES)].sort());
  });

  it('lists every code the spec publishes', () => {
    const fromSpec = Object.values(specs).flatMap((s) => s.components?.schemas?.ErrorCode?.enum ?? []);
    expect(fromSpec.filter((c) => !(ERROR_CODES as readonly string[]).includes(c))).toEqual([]);
  });
});

describe('problemMessage', () => {
  it('translates known codes and hides server internals', () => {
    expect(problemMessage({ status: 409, code: 'email-taken', detail: 'x' }, t)).toBe('T(errors.email-taken)');
    expect(problemMessage({ status: 409, code: 'wrong-phase', detail: 'x' }, t)).toBe('T(errors.wrong-phase)');
    expect(problemMessage({ status: 500, code: 'boom', detail: 'stack' }, t)).toBe('T(errors.internal)');
    expect(problemMessage({ status: 409, code: 'novel', detail: 'Server words' }, t)).toBe('Server words');
    expect(problemMessage({ status: 409, code: 'novel' }, t)).toBe('T(errors.generic)');
    expect(problemMessage(new TypeError('fetch failed'), t)).toBe('T(errors.network)');
  });
});

describe('field errors', () => {
  const p = { status: 422, code: 'validation-failed', errors: [{ field: 'name.sk', message: 'required' }, { field: 'email', message: 'bad' }, { field: 'agenda[0].title', message: 'long' }] };
  it('keys messages by top-level field', () => {
    expect(fieldErrors(p)).toEqual({ name: 'required', email: 'bad', agenda: 'long' });
  });
  it('keys messages by full path, and finds a field by its parts', () => {
    const byPath = errorsByPath(p);
    expect(byPath['name.sk']).toBe('required');
    expect(errorFor(byPath, 'name')).toBe('required');
    expect(errorFor(byPath, 'agenda')).toBe('long');
    expect(errorFor(byPath, 'other')).toBeUndefined();
  });
});
