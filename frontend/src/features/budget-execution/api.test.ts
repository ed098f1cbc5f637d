import { describe, expect, it } from 'vitest';
import { cumulative, exportUrl, formatAmount, share } from './api';

describe('budget execution figures', () => {
  it('sums executed amounts period by period and leaves unreported periods empty', () => {
    expect(cumulative([10, 20, null, undefined])).toEqual([10, 30, null, null]);
    expect(cumulative([])).toEqual([]);
  });

  it('gives shares with one decimal and none of nothing', () => {
    expect(share(1, 3)).toBe(33.3);
    expect(share(5, 0)).toBeNull();
  });

  it('shows amounts as hundredths with two decimals, even where the currency has no minor unit in the browser', () => {
    expect(formatAmount(71_310_000_050, 'RSD', 'en')).toMatch(/^RSD\s713,100,000\.50$/);
    expect(formatAmount(-5, 'EUR', 'en')).toBe('-€0.05');
  });

  it('points exports at the public API', () => {
    expect(exportUrl('vlasotince', 2025, 'lines.csv')).toBe('/api/v1/orgs/vlasotince/budget-years/2025/lines.csv');
    expect(exportUrl('vlasotince', 2025, 'json')).toBe('/api/v1/orgs/vlasotince/budget-years/2025');
  });
});
