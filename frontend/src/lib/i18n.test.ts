import { describe, expect, it } from 'vitest';
import en from '../locales/en.json';
import sk from '../locales/sk.json';
import srLatn from '../locales/sr-Latn.json';
import { loadLocale } from './i18n';

describe('loadLocale', () => {
  it('fetches each language its own texts, Serbian Cyrillic transliterated from the Latin file', async () => {
    expect(await loadLocale('sk')).toEqual(sk);
    expect(await loadLocale('sr-Latn')).toEqual(srLatn);
    const cyrillic = (await loadLocale('sr-Cyrl')) as typeof srLatn;
    expect(cyrillic.nav.logout).not.toBe(srLatn.nav.logout);
    expect(cyrillic.nav.logout).toMatch(/^[\u0400-\u04FF\s]+$/);
    expect(await loadLocale('en')).toEqual(en);
  });
});
