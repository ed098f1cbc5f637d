import { expect, test } from '@playwright/test';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { admin, expectAccessible, expectNoSidewaysScroll, logIn, logOut } from './helpers';

test.use({ locale: 'en-GB' });

const demoPassword = process.env.PNYX_E2E_DEMO_PASSWORD ?? 'demo password 2026';
// The demo budget of Vlasotince: its totals, summed here from the file, are what the page shows.
const file = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../crates/server/src/seed/data/vlasotince-budget-2025.csv');

function cells(line: string): string[] {
  return [...line.matchAll(/("([^"]|"")*"|[^,]*)(,|$)/g)].slice(0, -1).map((m) => m[1].replace(/^"|"$/g, '').replace(/""/g, '"'));
}

function totalsOf(text: string) {
  const [header, ...rows] = text.trim().split('\n').map(cells);
  const col = (name: string) => header.indexOf(name);
  const minor = (s: string) => (s === '' ? 0 : Math.round(Number(s) * 100));
  let planned = 0;
  let executed = 0;
  for (const r of rows) {
    planned += minor(r[col('planned')]);
    for (const q of ['q1', 'q2', 'q3', 'q4']) executed += minor(r[col(q)]);
  }
  return { planned, executed };
}

const rsd = (minor: number) =>
  new Intl.NumberFormat('en', { style: 'currency', currency: 'RSD', minimumFractionDigits: 2, maximumFractionDigits: 2 }).format(minor / 100);

test('the public programme page shows each member’s plans, answers and budget, and passes axe on a phone', async ({ page }) => {
  const expected = totalsOf(fs.readFileSync(file, 'utf8'));
  await page.addInitScript(() => localStorage.setItem('pnyx.language', 'en'));
  await page.goto('/');
  await page.getByRole('link', { name: 'Programmes' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Programmes' })).toBeVisible();
  await expectAccessible(page);
  await page.getByRole('link', { name: 'OGP Local in Serbia' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'OGP Local in Serbia' })).toBeVisible();
  const member = page.getByRole('region', { name: 'Municipality of Vlasotince' });
  await expect(member.getByRole('heading', { name: 'Action plans' })).toBeVisible();
  await expect(member.getByRole('heading', { name: 'Answers to residents' })).toBeVisible();
  await expect(member.getByRole('heading', { name: 'Budget 2025' })).toBeVisible();
  await expect(member.getByText(rsd(expected.planned), { exact: true })).toBeVisible();
  await expect(member.getByText(rsd(expected.executed), { exact: true })).toBeVisible();
  await expect(page.getByRole('link', { name: 'CSV' })).toHaveAttribute('href', '/api/v1/programmes/ogp-local-srbija/overview.csv');
  await expectAccessible(page);
  await expectNoSidewaysScroll(page);

  // The download holds the same figures.
  const csv = await (await page.request.get('/api/v1/programmes/ogp-local-srbija/overview.csv')).text();
  const [header, row] = csv.trim().split('\n').map(cells);
  expect(row[header.indexOf('org_slug')]).toBe('vlasotince');
  expect(Number(row[header.indexOf('planned')])).toBe(expected.planned);
  expect(Number(row[header.indexOf('executed')])).toBe(expected.executed);
});

test('a platform admin creates a programme and invites a municipality, whose admin joins it', async ({ page }) => {
  const slug = `e2e-${Date.now()}`;
  await page.addInitScript(() => localStorage.setItem('pnyx.language', 'en'));
  await logIn(page, admin.email, admin.password);
  await page.goto('/programmes');
  await page.getByLabel('Address (slug)').fill(slug);
  await page.getByRole('button', { name: 'Create the programme' }).click();
  // Without an English name: refused, the error beside the field.
  await expect(page.locator('.field-error')).toBeVisible();
  await page.getByLabel('Name (English)').fill('Open towns together');
  await page.getByLabel('Description (English)').fill('A test programme.');
  await page.getByRole('button', { name: 'Create the programme' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Open towns together' })).toBeVisible();
  await expect(page.getByText('No municipality has joined yet.')).toBeVisible();
  await page.getByLabel('Municipality (its slug)').fill('atlantis');
  await page.getByRole('button', { name: 'Invite', exact: true }).click();
  await expect(page.locator('.field-error')).toBeVisible();
  await page.getByLabel('Municipality (its slug)').fill('vlasotince');
  await page.getByRole('button', { name: 'Invite', exact: true }).click();
  const invitations = page.getByRole('region', { name: 'Invitations and members' });
  await expect(invitations.getByText(/Municipality of Vlasotince · Invited/)).toBeVisible();
  await expectAccessible(page);
  await logOut(page);

  await logIn(page, 'admin@vlasotince.demo.pnyx.eu', demoPassword);
  await page.goto('/o/vlasotince');
  await page.getByRole('link', { name: 'Programmes' }).click();
  const item = page.getByRole('listitem').filter({ hasText: 'Open towns together' });
  await expect(item).toContainText('Invited');
  await expectAccessible(page);
  await item.getByRole('button', { name: 'Join' }).click();
  await expect(item).toContainText('Joined');
  await expect(item.getByRole('button', { name: 'Join' })).toHaveCount(0);
  await item.getByRole('link', { name: 'Open towns together' }).click();
  await expect(page.getByRole('region', { name: 'Municipality of Vlasotince' })).toBeVisible();
});
