// The municipal budget in the open: published years, one year's tree, the changes between
// revisions, and the staff's import (a dry run first).
import { useMutation } from '@tanstack/react-query';
import { api, type Schemas } from '../../lib/api-client';
import { $api, ok, useInvalidate } from '../../lib/query';

export { useOrg } from '../../lib/org';

const YEARS = '/api/v1/orgs/{org}/budget-years';
export const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

export type BudgetYear = Schemas['BudgetYearResponse'];
export type Totals = Schemas['BudgetTotalsDto'];
export type ImportResult = Schemas['BudgetImportResponse'];

export function useBudgetYears(org: string) {
  return $api.useQuery('get', YEARS, { params: { path: { org } } });
}

export function useBudgetYear(org: string, year: number) {
  return $api.useQuery('get', '/api/v1/orgs/{org}/budget-years/{year}', { params: { path: { org, year } } });
}

export function useBudgetChanges(org: string, year: number) {
  return $api.useQuery('get', '/api/v1/orgs/{org}/budget-years/{year}/changes', { params: { path: { org, year } } });
}

export function useCommitment(org: string, id: string) {
  return $api.useQuery('get', '/api/v1/orgs/{org}/commitments/{id}', { params: { path: { org, id } } });
}

/** Imports (or with `dryRun` only checks) a CSV or XLSX file as the year's budget. */
export function useImportBudgetYear(org: string) {
  const invalidate = useInvalidate();
  return useMutation({
    mutationFn: ({ year, file, dryRun, note }: { year: number; file: File; dryRun: boolean; note: string }) =>
      ok(
        api.POST('/api/v1/orgs/{org}/budget-years/{year}/import', {
          params: { path: { org, year }, query: { dry_run: dryRun, note: note || undefined } },
          // The spec types the body as text; a workbook goes as its bytes.
          body: '',
          headers: { 'Content-Type': file.name.toLowerCase().endsWith('.xlsx') ? XLSX : 'text/csv' },
          bodySerializer: () => file,
        }),
      ),
    onSuccess: (r) => {
      if (!r.dry_run) void invalidate(YEARS);
    },
  });
}

/** The API's own address of a public export, for a plain download link. */
export function exportUrl(org: string, year: number, what: 'lines.csv' | 'changes.csv' | 'json'): string {
  const base = `/api/v1/orgs/${encodeURIComponent(org)}/budget-years/${year}`;
  return what === 'json' ? base : `${base}/${what}`;
}

/**
 * An amount of the budget: the API's minor units are hundredths (the import reads at most two
 * decimals), whatever the browser's currency data says of the currency's minor unit (Chromium
 * gives RSD none), so two decimals are shown always.
 */
export function formatAmount(minor: number, currency: string, lang: string): string {
  return new Intl.NumberFormat(lang, { style: 'currency', currency, minimumFractionDigits: 2, maximumFractionDigits: 2 }).format(minor / 100);
}

/** The share `part / whole` in per cent with one decimal, or `null` when the whole is zero. */
export function share(part: number, whole: number): number | null {
  return whole === 0 ? null : Math.round((part / whole) * 1000) / 10;
}

/** Running sums of the executed amounts per period (a period not reported stays `null`). */
export function cumulative(executed: (number | null | undefined)[]): (number | null)[] {
  let sum = 0;
  return executed.map((e) => {
    if (e === null || e === undefined) return null;
    sum += e;
    return sum;
  });
}

export type BudgetLine = Schemas['BudgetLineDto'];

/** A line of the year with the names of its programme and sub-programme (the form edits them). */
export interface FoundLine {
  line: BudgetLine;
  programmeName: Schemas['LocalizedTextDto'];
  subprogrammeName: Schemas['LocalizedTextDto'];
}

/** The line `code` of the year's tree, with its programme's and sub-programme's names. */
export function findLine(year: BudgetYear, code: string): FoundLine | undefined {
  for (const p of year.programmes) {
    for (const s of p.subprogrammes) {
      const line = s.lines.find((l) => l.code === code);
      if (line) return { line, programmeName: p.name, subprogrammeName: s.name };
    }
  }
  return undefined;
}

/**
 * An amount typed in the currency's units ("1500", "1 500,50", "1500.5") as hundredths, the
 * budget's minor units; `null` when empty, `NaN` when it is not a non-negative amount with at most
 * two decimals.
 */
export function parseAmount(input: string): number | null {
  const s = input.replace(/[\s\u00a0']/g, '');
  if (!s) return null;
  const m = /^(\d+)(?:[.,](\d{1,2}))?$/.exec(s);
  if (!m) return NaN;
  return Number(m[1]) * 100 + Number((m[2] ?? '').padEnd(2, '0'));
}

/** Hundredths back into what an amount input shows ("1500.50"); empty for none. */
export function amountInput(minor: number | null | undefined): string {
  if (minor === null || minor === undefined) return '';
  return (minor / 100).toFixed(2);
}

/** Starts a year by hand (no lines yet, revision 1). */
export function useCreateBudgetYear() {
  const invalidate = useInvalidate();
  return $api.useMutation('post', YEARS, { onSuccess: () => invalidate(YEARS) });
}

/**
 * Adds a line (no `etag`) or replaces one, claiming the version read (`If-Match` with the line's
 * ETag: a 412 when someone changed it meanwhile).
 */
export function usePutBudgetLine(org: string) {
  const invalidate = useInvalidate();
  return useMutation({
    mutationFn: ({ year, code, etag, body }: { year: number; code: string; etag?: string; body: Schemas['BudgetLineRequest'] }) =>
      ok(api.PUT('/api/v1/orgs/{org}/budget-years/{year}/lines/{code}', { params: { path: { org, year, code }, header: { 'If-Match': etag } }, body })),
    onSuccess: () => invalidate(YEARS),
  });
}

/** Removes a line, claiming the version read (`If-Match`). */
export function useDeleteBudgetLine(org: string) {
  const invalidate = useInvalidate();
  return useMutation({
    mutationFn: ({ year, code, etag, note }: { year: number; code: string; etag: string; note?: string }) =>
      ok(api.DELETE('/api/v1/orgs/{org}/budget-years/{year}/lines/{code}', { params: { path: { org, year, code }, query: { note }, header: { 'If-Match': etag } } })),
    onSuccess: () => invalidate(YEARS),
  });
}
