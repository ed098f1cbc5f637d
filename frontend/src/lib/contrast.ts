// The accent colour's legibility, computed as the server computes it (crates/domain/src/branding.rs):
// white text on the accent (buttons, the header) and the accent on the page background (links)
// must both reach WCAG 2.x's 4.5:1. The settings form shows the ratios live and refuses a failing
// colour before sending it; the server checks again.

/** White: the text on the accent colour. */
export const TEXT_ON_ACCENT = '#ffffff';
/** The page background (`--wash` in styles.css), on which links are drawn in the accent colour. */
export const PAGE_BACKGROUND = '#f3f5f9';
/** WCAG 2.x, success criterion 1.4.3 (AA), normal text. */
export const MIN_CONTRAST = 4.5;

/** `#rrggbb` as its three channels, or `null` when it is not such a colour (the API takes no other form). */
export function parseHex(colour: string): [number, number, number] | null {
  const hex = /^#([0-9a-f]{6})$/i.exec(colour.trim())?.[1];
  if (!hex) return null;
  return [0, 2, 4].map((i) => parseInt(hex.slice(i, i + 2), 16)) as [number, number, number];
}

function luminance([r, g, b]: [number, number, number]): number {
  const lin = (c: number) => {
    const s = c / 255;
    return s <= 0.04045 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b);
}

/** The contrast ratio of two colours, rounded down to hundredths (as the server rounds it). */
export function contrastRatio(a: string, b: string): number | null {
  const x = parseHex(a);
  const y = parseHex(b);
  if (!x || !y) return null;
  const hi = Math.max(luminance(x), luminance(y));
  const lo = Math.min(luminance(x), luminance(y));
  return Math.floor(((hi + 0.05) / (lo + 0.05)) * 100) / 100;
}

export interface AccentCheck {
  /** White text on the accent. */
  againstText: number;
  /** The accent on the page background. */
  againstPage: number;
  ok: boolean;
}

/** Both ratios of an accent colour and whether it passes; `null` when it is not a colour. */
export function checkAccent(colour: string): AccentCheck | null {
  const againstText = contrastRatio(colour, TEXT_ON_ACCENT);
  const againstPage = contrastRatio(colour, PAGE_BACKGROUND);
  if (againstText === null || againstPage === null) return null;
  return { againstText, againstPage, ok: againstText >= MIN_CONTRAST && againstPage >= MIN_CONTRAST };
}

/** A darker shade of the accent for hover states: each channel times `factor`. */
export function darken(colour: string, factor = 0.8): string | null {
  const c = parseHex(colour);
  if (!c) return null;
  return `#${c.map((v) => Math.round(v * factor).toString(16).padStart(2, '0')).join('')}`;
}
