import { describe, expect, it } from 'vitest';
import en from '../locales/en.json';
import pl from '../locales/pl.json';
import sk from '../locales/sk.json';
import sr from '../locales/sr-Latn.json';
import { cyrillicResources } from './serbian';

function keys(o: object, prefix = ''): string[] {
  return Object.entries(o).flatMap(([k, v]) => (typeof v === 'object' && v ? keys(v, `${prefix}${k}.`) : [`${prefix}${k}`]));
}

describe('translations', () => {
  it('every language (the five: Serbian Cyrillic is the Latin file transliterated) has every key, and none is a copy of English', () => {
    const reference = keys(en).sort();
    for (const [name, lang] of Object.entries({ sk, pl, sr, srCyrl: cyrillicResources(sr) })) {
      expect(keys(lang).sort(), name).toEqual(reference);
    }
    expect(sk.auth.loginTitle).not.toBe(en.auth.loginTitle);
    expect(pl.nav.meetings).not.toBe(en.nav.meetings);
    expect(sr.nav.logout).not.toBe(en.nav.logout);
  });
});
