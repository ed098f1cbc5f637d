import { describe, expect, it } from 'vitest';
import { formatMoney, formatNumber } from './format';

describe('formatting', () => {
  it('formats money from minor units per locale', () => {
    expect(formatMoney(150000, 'EUR', 'sk').replace(/\s/g, ' ')).toBe('1 500,00 €');
    expect(formatMoney(1500000, 'PLN', 'pl').replace(/\s/g, ' ')).toBe('15 000,00 zł');
    expect(formatMoney(150000, 'EUR', 'en')).toBe('€1,500.00');
  });

  it('groups digits per locale', () => {
    expect(formatNumber(90494, 'en')).toBe('90,494');
    expect(formatNumber(90494, 'pl').replace(/\s/g, ' ')).toBe('90 494');
  });
});
