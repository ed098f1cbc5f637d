import { describe, expect, it } from 'vitest';
import type { TFunction } from 'i18next';
import { fieldErrors, problemMessage } from './errors';

const t = ((key: string) => `T(${key})`) as unknown as TFunction;

describe('problemMessage', () => {
  it('translates known codes and hides server internals', () => {
    expect(problemMessage({ status: 409, code: 'email-taken', detail: 'x' }, t)).toBe('T(errors.email-taken)');
    expect(problemMessage({ status: 500, code: 'boom', detail: 'stack' }, t)).toBe('T(errors.internal)');
    expect(problemMessage({ status: 409, code: 'novel', detail: 'Server words' }, t)).toBe('Server words');
    expect(problemMessage(new TypeError('fetch failed'), t)).toBe('T(errors.network)');
  });
});

describe('fieldErrors', () => {
  it('keys messages by top-level field', () => {
    const p = { status: 422, code: 'validation-failed', errors: [{ field: 'name.sk', message: 'required' }, { field: 'email', message: 'bad' }] };
    expect(fieldErrors(p)).toEqual({ name: 'required', email: 'bad' });
  });
});
