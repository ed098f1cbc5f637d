// Reading forms the same way everywhere: multilingual text (`<name>.<locale>` inputs), lines,
// links and money in integer minor units of the organisation's currency.
import type { Locale, LocalizedText } from './language';

/** The organisation's languages, its default first (the one the API requires). */
export function orgLocales(org: { default_locale: Locale; locales: Locale[] }): Locale[] {
  return [org.default_locale, ...org.locales.filter((l) => l !== org.default_locale)];
}

/** The input name of one language of a multilingual field: `title.sk`, `agenda[0].title.pl`. */
export function localizedName(name: string, locale: Locale): string {
  return `${name}.${locale}`;
}

/** Multilingual text from inputs named `<name>.<locale>`; empty translations are left out. */
export function localizedFrom(form: FormData, name: string, locales: readonly Locale[]): LocalizedText {
  const out: LocalizedText = {};
  for (const l of locales) {
    const v = String(form.get(localizedName(name, l)) ?? '').trim();
    if (v) out[l] = v;
  }
  return out;
}

/** A trimmed text input. */
export function textFrom(form: FormData, name: string): string {
  return String(form.get(name) ?? '').trim();
}

/** Non-empty lines of a textarea. */
export function lines(value: string): string[] {
  return value
    .split('\n')
    .map((s) => s.trim())
    .filter(Boolean);
}

/** Pairs of title and URL inputs (`<prefix>_title`, `<prefix>_url`), blank rows dropped. */
export function linksFrom(form: FormData, prefix: string): { title: string; url: string }[] {
  const titles = form.getAll(`${prefix}_title`).map((v) => String(v).trim());
  const urls = form.getAll(`${prefix}_url`).map((v) => String(v).trim());
  return urls.map((url, i) => ({ title: titles[i] ?? '', url })).filter((d) => d.url || d.title);
}

/** How many decimals the currency has (2 for EUR, PLN, RSD…). */
export function currencyDigits(currency: string): number {
  return new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;
}

/**
 * Money typed in major units ("1 500,50" or "1500.50") as integer minor units of `currency`;
 * `null` when empty, `NaN` when it is not a number.
 */
export function parseMoney(input: string, currency: string): number | null {
  const s = input.replace(/[\s\u00a0']/g, '');
  if (!s) return null;
  const digits = currencyDigits(currency);
  // The last comma or dot is the decimal separator when followed by at most `digits` digits.
  const m = /^(-?\d[\d.,]*?)(?:[.,](\d+))?$/.exec(s);
  if (!m) return NaN;
  let whole = (m[1] ?? '').replace(/[.,]/g, '');
  let fraction = m[2] ?? '';
  // "1.500" or "1,500": more digits than the currency has, so it separated thousands.
  if (fraction.length > digits) {
    whole += fraction;
    fraction = '';
  }
  const n = Number(`${whole || '0'}${fraction.padEnd(digits, '0')}`);
  return Number.isFinite(n) ? n : NaN;
}

/** Minor units back into what a money input shows ("1500.50"). */
export function moneyInput(amount: number | null | undefined, currency: string): string {
  if (amount === null || amount === undefined) return '';
  const digits = currencyDigits(currency);
  return (amount / 10 ** digits).toFixed(digits);
}

/** The money input `name` in minor units (`null` when empty, `NaN` when not a number). */
export function moneyFrom(form: FormData, name: string, currency: string): number | null {
  return parseMoney(textFrom(form, name), currency);
}
