import { describe, expect, it } from 'vitest';
import srLatn from '../locales/sr-Latn.json';
import { cyrillicResources, toCyrillic, toLatin } from './serbian';

describe('Serbian scripts', () => {
  it('writes Latin in Cyrillic with lj, nj and dž as one letter', () => {
    expect(toCyrillic('Opština Vlasotince')).toBe('Општина Власотинце');
    expect(toCyrillic('Ljubav, njiva, džep, Đorđe, ćevap, Čačak, Žiča')).toBe('Љубав, њива, џеп, Ђорђе, ћевап, Чачак, Жича');
    expect(toCyrillic('LJUBLJANA NJEGOŠ DŽEP')).toBe('ЉУБЉАНА ЊЕГОШ ЏЕП');
  });

  it('writes Cyrillic in Latin with capitals as written', () => {
    expect(toLatin('Шумадија')).toBe('Šumadija');
    expect(toLatin('Љубав и Његош')).toBe('Ljubav i Njegoš');
    expect(toLatin('ЉУБЉАНА, ЏЕП')).toBe('LJUBLJANA, DŽEP');
  });

  it('gives the text back after a round trip', () => {
    for (const s of ['Građani oblikuju opštinski budžet i prate njegovo izvršenje.', 'Jelena Džaković, Ljig', 'ŠTA JE NOVO']) {
      expect(toLatin(toCyrillic(s))).toBe(s);
    }
  });

  it('leaves placeholders, web and e-mail addresses alone', () => {
    expect(toCyrillic('Ostalo {{count}} dana: https://vlasotince.rs/budzet ili info@vlasotince.rs')).toBe('Остало {{count}} дана: https://vlasotince.rs/budzet или info@vlasotince.rs');
  });

  it('turns the whole Latin interface into Cyrillic with the same keys and placeholders', () => {
    const cyr = cyrillicResources(srLatn);
    expect(cyr.nav.logout).toBe(toCyrillic(srLatn.nav.logout));
    expect(cyr.nav.logout).toMatch(/^[\p{Script=Cyrillic}\s]+$/u);
    const placeholders = (s: string) => s.match(/\{\{\w+\}\}/g) ?? [];
    expect(placeholders(cyr.consultations.period)).toEqual(placeholders(srLatn.consultations.period));
  });
});
