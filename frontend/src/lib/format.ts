import type { Locale } from './language';

/** Intl wants `sr-Latn`, which it understands; the rest are plain tags. */
export function formatDateTime(iso: string, lang: Locale, timeZone?: string): string {
  return new Intl.DateTimeFormat(lang, { dateStyle: 'medium', timeStyle: 'short', timeZone }).format(new Date(iso));
}

export function formatDate(iso: string, lang: Locale, timeZone?: string): string {
  return new Intl.DateTimeFormat(lang, { dateStyle: 'long', timeZone }).format(new Date(iso));
}

/** Money from integer minor units. */
export function formatMoney(amount: number, currency: string, lang: Locale): string {
  const digits = new Intl.NumberFormat(lang, { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;
  return new Intl.NumberFormat(lang, { style: 'currency', currency }).format(amount / 10 ** digits);
}

export function formatNumber(n: number, lang: Locale): string {
  return new Intl.NumberFormat(lang).format(n);
}
