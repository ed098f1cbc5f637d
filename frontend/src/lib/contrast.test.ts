import { describe, expect, it } from 'vitest';
import { checkAccent, contrastRatio, darken, parseHex } from './contrast';

describe('accent colour contrast', () => {
  it('computes WCAG 2.x ratios as published (rounded down to hundredths)', () => {
    expect(contrastRatio('#000000', '#ffffff')).toBe(21);
    expect(contrastRatio('#ffffff', '#ffffff')).toBe(1);
    expect(contrastRatio('#767676', '#ffffff')).toBe(4.54);
    expect(contrastRatio('#777777', '#ffffff')).toBe(4.47);
  });

  it('passes a dark accent and refuses one that fails on either side, like the server', () => {
    expect(checkAccent('#1d4e89')).toMatchObject({ ok: true });
    // 4.54:1 under white text, but 4.16:1 as a link on the page background.
    expect(checkAccent('#767676')).toEqual({ againstText: 4.54, againstPage: 4.16, ok: false });
    expect(checkAccent('#ffcc00')).toEqual({ againstText: 1.51, againstPage: 1.38, ok: false });
  });

  it('reads only hex colours', () => {
    for (const bad of ['1d4e89', '#1d4e8', '#abc', '#1d4e89ff', 'red', '', '#ggg']) expect(parseHex(bad), bad).toBeNull();
    expect(checkAccent('blue')).toBeNull();
    expect(darken('#ff8000')).toBe('#cc6600');
  });
});
