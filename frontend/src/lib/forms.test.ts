import { describe, expect, it } from 'vitest';
import { linksFrom, localizedFrom, moneyFrom, moneyInput, orgLocales, parseMoney } from './forms';

function fd(entries: [string, string][]): FormData {
  const f = new FormData();
  for (const [k, v] of entries) f.append(k, v);
  return f;
}

describe('money', () => {
  it('reads amounts typed in any of our languages as minor units', () => {
    expect(parseMoney('1500', 'EUR')).toBe(150000);
    expect(parseMoney('1500,5', 'EUR')).toBe(150050);
    expect(parseMoney('1 500.50', 'EUR')).toBe(150050);
    expect(parseMoney('1 500,50', 'EUR')).toBe(150050);
    expect(parseMoney('1.500,50', 'PLN')).toBe(150050);
    expect(parseMoney('1,500', 'EUR')).toBe(150000);
    expect(parseMoney('1.500', 'EUR')).toBe(150000);
    expect(parseMoney('400', 'EUR')).toBe(40000);
    expect(parseMoney('', 'EUR')).toBeNull();
    expect(parseMoney('abc', 'EUR')).toBeNaN();
    expect(parseMoney('lots', 'EUR')).toBeNaN();
  });
  it('shows minor units with the currency’s decimals', () => {
    expect(moneyInput(150050, 'EUR')).toBe('1500.50');
    expect(moneyInput(null, 'EUR')).toBe('');
    expect(moneyFrom(fd([['budget', '12 000']]), 'budget', 'EUR')).toBe(1200000);
  });
});

describe('multilingual text and links', () => {
  it('keeps only the translations given, default language first', () => {
    expect(localizedFrom(fd([['title.sk', ' Plán '], ['title.en', '']]), 'title', ['sk', 'en'])).toEqual({ sk: 'Plán' });
    expect(orgLocales({ default_locale: 'pl', locales: ['en', 'pl'] })).toEqual(['pl', 'en']);
    expect(linksFrom(fd([['doc_title', 'A'], ['doc_url', 'https://a'], ['doc_title', ''], ['doc_url', '']]), 'doc')).toEqual([{ title: 'A', url: 'https://a' }]);
  });
});
