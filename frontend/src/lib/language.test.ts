import { describe, expect, it } from 'vitest';
import { hasDefaultText, pickLanguage, resolveText, toLocale } from './language';

describe('pickLanguage', () => {
  it('prefers the profile, then the choice, then the browser, then the municipality', () => {
    expect(pickLanguage({ profile: 'pl', chosen: 'sk', browser: ['en'], orgDefault: 'sr-Latn' })).toBe('pl');
    expect(pickLanguage({ chosen: 'sk', browser: ['en'], orgDefault: 'pl' })).toBe('sk');
    expect(pickLanguage({ browser: ['de-DE', 'pl-PL'], orgDefault: 'sk' })).toBe('pl');
    expect(pickLanguage({ browser: ['de-DE'], orgDefault: 'sr-Latn' })).toBe('sr-Latn');
    expect(pickLanguage({ browser: ['de-DE'] })).toBe('en');
  });

  it('maps regional and script tags to ours', () => {
    expect(toLocale('sk-SK')).toBe('sk');
    expect(toLocale('sr')).toBe('sr-Cyrl');
    expect(toLocale('sr-RS')).toBe('sr-Cyrl');
    expect(toLocale('sr-Cyrl')).toBe('sr-Cyrl');
    expect(toLocale('sr-Latn-RS')).toBe('sr-Latn');
    expect(toLocale('de')).toBeUndefined();
  });
});

describe('resolveText', () => {
  it('falls back to the organisation default and says which language it shows', () => {
    const text = { sk: 'Akčný plán', en: 'Action plan' };
    expect(resolveText(text, 'en', 'sk')).toEqual({ text: 'Action plan', lang: 'en' });
    expect(resolveText(text, 'pl', 'sk')).toEqual({ text: 'Akčný plán', lang: 'sk' });
    expect(resolveText({ en: 'Only English' }, 'pl', 'sk')).toEqual({ text: 'Only English', lang: 'en' });
    expect(resolveText({ sk: '  ' }, 'sk', 'sk')).toBeUndefined();
  });

  it('shows Serbian in the reader’s script unless the author wrote both', () => {
    const latin = { 'sr-Latn': 'Opština Vlasotince', en: 'Municipality of Vlasotince' };
    expect(resolveText(latin, 'sr-Cyrl', 'sr-Cyrl')).toEqual({ text: 'Општина Власотинце', lang: 'sr-Cyrl' });
    expect(resolveText(latin, 'sr-Latn', 'sr-Cyrl')).toEqual({ text: 'Opština Vlasotince', lang: 'sr-Latn' });
    expect(resolveText(latin, 'sk', 'sr-Cyrl')).toEqual({ text: 'Општина Власотинце', lang: 'sr-Cyrl' });
    expect(resolveText({ 'sr-Cyrl': 'Шумадија' }, 'sr-Latn')).toEqual({ text: 'Šumadija', lang: 'sr-Latn' });
    expect(resolveText({ 'sr-Latn': 'Opština', 'sr-Cyrl': 'Општина (ауторска)' }, 'sr-Cyrl')).toEqual({ text: 'Општина (ауторска)', lang: 'sr-Cyrl' });
  });
});

describe('hasDefaultText', () => {
  it('takes either Serbian script for a Serbian default, and only the default otherwise', () => {
    expect(hasDefaultText({ 'sr-Latn': 'Plan' }, 'sr-Cyrl')).toBe(true);
    expect(hasDefaultText({ 'sr-Cyrl': 'План' }, 'sr-Latn')).toBe(true);
    expect(hasDefaultText({ en: 'Plan' }, 'sr-Cyrl')).toBe(false);
    expect(hasDefaultText({ sk: '  ', en: 'Plan' }, 'sk')).toBe(false);
    expect(hasDefaultText(undefined, 'pl')).toBe(false);
  });
});
