import { describe, expect, it } from 'vitest';
import { pickLanguage, resolveText, toLocale } from './language';

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
    expect(toLocale('sr')).toBe('sr-Latn');
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
});
