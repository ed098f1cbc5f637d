import { expect, test } from '@playwright/test';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expectAccessible, expectNoSidewaysScroll, logIn } from './helpers';

test.use({ locale: 'en-GB' });

const demoPassword = process.env.PNYX_E2E_DEMO_PASSWORD ?? 'demo password 2026';
// The demo budget's file, in the documented import layout: the test publishes it as another year.
const file = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../crates/server/src/seed/data/vlasotince-budget-2025.csv');

/** The cells of one CSV line (quoted cells may hold commas). */
function cells(line: string): string[] {
  return [...line.matchAll(/("([^"]|"")*"|[^,]*)(,|$)/g)].slice(0, -1).map((m) => m[1].replace(/^"|"$/g, '').replace(/""/g, '"'));
}

/** The file's totals in minor units, summed here independently of the server. */
function totalsOf(text: string) {
  const [header, ...rows] = text.trim().split('\n').map(cells);
  const col = (name: string) => header.indexOf(name);
  const minor = (s: string) => (s === '' ? 0 : Math.round(Number(s) * 100));
  let planned = 0;
  let current = 0;
  let executed = 0;
  for (const r of rows) {
    planned += minor(r[col('planned')]);
    current += r[col('amended')] === '' ? minor(r[col('planned')]) : minor(r[col('amended')]);
    for (const q of ['q1', 'q2', 'q3', 'q4']) executed += minor(r[col(q)]);
  }
  return { planned, current, executed, lines: rows.length };
}

// Hundredths with two decimals, as the page shows them.
const rsd = (minor: number) =>
  new Intl.NumberFormat('en', { style: 'currency', currency: 'RSD', minimumFractionDigits: 2, maximumFractionDigits: 2 }).format(minor / 100);

test('an official checks and publishes a budget file, and its execution page shows the file’s totals', async ({ page, browser }) => {
  const text = fs.readFileSync(file, 'utf8');
  const expected = totalsOf(text);
  await page.addInitScript(() => localStorage.setItem('pnyx.language', 'en'));
  await logIn(page, 'official@vlasotince.demo.pnyx.eu', demoPassword);
  await page.goto('/o/vlasotince');
  await page.getByRole('link', { name: 'Budget execution' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Budget execution' })).toBeVisible();
  await expect(page.getByRole('link', { name: 'Budget 2025' })).toBeVisible();

  // A broken file first: the error names the row and the column, and nothing is published.
  await page.getByRole('region', { name: 'Publish a budget from a file' }).getByLabel('Year', { exact: true }).fill('2024');
  const broken = text.replace('14200000.00', '14.200.000');
  await page.getByLabel('File (CSV or XLSX)').setInputFiles({ name: 'broken.csv', mimeType: 'text/csv', buffer: Buffer.from(broken) });
  await page.getByRole('button', { name: 'Check the file' }).click();
  await expect(page.getByRole('alert').getByText(/row 2, column K \(planned\)/)).toBeVisible();
  await expectAccessible(page);

  await page.getByLabel('File (CSV or XLSX)').setInputFiles(file);
  await page.getByRole('button', { name: 'Check the file' }).click();
  await expect(page.getByRole('status').getByText(`The file is valid: ${expected.lines} lines`)).toBeVisible();
  await expect(page.getByRole('link', { name: 'Budget 2024' })).toHaveCount(0);
  await expectAccessible(page);
  await page.getByRole('button', { name: 'Publish budget 2024' }).click();
  await expect(page.getByText(/Budget 2024 is published/)).toBeVisible();
  await page.getByRole('status').getByRole('link', { name: 'Budget 2024' }).click();

  await expect(page.getByRole('heading', { level: 1, name: 'Budget 2024: execution' })).toBeVisible();
  await expect(page.getByTestId('total-planned')).toHaveText(rsd(expected.planned));
  await expect(page.getByTestId('total-current')).toHaveText(rsd(expected.current));
  await expect(page.getByTestId('total-executed')).toHaveText(rsd(expected.executed));
  await expect(page.getByRole('img', { name: 'Execution over the year' })).toBeVisible();
  await expect(page.getByRole('table', { name: 'Execution by period' }).getByRole('row')).toHaveCount(5);
  await expect(page.getByRole('rowheader', { name: '2101-0001 Municipal assembly' })).toBeVisible();
  await expectAccessible(page);
  await expectNoSidewaysScroll(page);

  // Anyone reads the demo year with the changes of its rebalance, and downloads the figures.
  const visitor = await browser.newContext({ locale: 'en-GB' });
  const anon = await visitor.newPage();
  await anon.addInitScript(() => localStorage.setItem('pnyx.language', 'en'));
  await anon.goto('/o/vlasotince/budget-execution/2025');
  await expect(anon.getByRole('heading', { name: 'Changes from revision 1 to 2' })).toBeVisible();
  await expect(anon.getByRole('heading', { name: 'Publish a budget from a file' })).toHaveCount(0);
  const csv = await anon.request.get(await anon.getByRole('link', { name: 'all lines (CSV)' }).getAttribute('href') ?? '');
  expect(totalsOf(await csv.text())).toEqual(expected);
  await expectAccessible(anon);
  await expectNoSidewaysScroll(anon);
  await visitor.close();
});
