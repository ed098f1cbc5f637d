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
