import { expect, test } from '@playwright/test';
import { expectAccessible, expectNoSidewaysScroll, logIn, register, uniqueEmail } from './helpers';

test.use({ locale: 'en-GB' });

const demoPassword = process.env.PNYX_E2E_DEMO_PASSWORD ?? 'demo password 2026';

test('a resident reports a problem, an official answers and resolves it, the resident reads the answer', async ({ page, browser }) => {
  const title = `Street light out ${Date.now()}`;
  await register(page, 'Jana Reporter', uniqueEmail('jana-report'));
  await page.goto('/o/banska-bystrica');
  await page.getByRole('link', { name: 'Reports and proposals' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Reports and proposals' })).toBeVisible();
  await expect(page.getByRole('link', { name: /Výtlk na Tajovského/ })).toBeVisible();
  await expectAccessible(page);
  await expectNoSidewaysScroll(page);

  await page.getByRole('link', { name: 'Report a problem or make a proposal' }).click();
  await expect(page.getByRole('heading', { name: 'New report or proposal' })).toBeVisible();
  await expectAccessible(page);
  await expectNoSidewaysScroll(page);
  await page.getByLabel('Category').selectOption({ index: 0 });
  await page.getByLabel('Title').fill(title);
  await page.getByLabel('Description').fill('Two lamps by the fountain have been dark for a week.');
  await page.getByLabel('Address').fill('Námestie SNP 1');
  // Outside the town's area: refused in words next to the place.
  await page.getByLabel('Latitude').fill('44.8');
  await page.getByLabel('Longitude').fill('20.46');
  await page.getByRole('button', { name: 'Send' }).click();
  await expect(page.getByText("is outside the organisation's area")).toBeVisible();
  await page.getByLabel('Latitude').fill('48.7364');
  await page.getByLabel('Longitude').fill('19.146');
  await page.getByRole('button', { name: 'Send' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toContainText(title);
  // The author sees their own name; others see "a resident" (they did not choose to show it).
  await expect(page.getByText(/Filed by Jana Reporter/)).toBeVisible();
  await expectAccessible(page);
  await expectNoSidewaysScroll(page);
  const reportUrl = page.url();

  const staffContext = await browser.newContext({ locale: 'en-GB' });
  const staff = await staffContext.newPage();
  // The demo official's profile speaks Slovak; this device has chosen English.
  await staff.addInitScript(() => localStorage.setItem('pnyx.language', 'en'));
  await logIn(staff, 'official@banska-bystrica.demo.pnyx.eu', demoPassword);
  await staff.goto('/o/banska-bystrica/reports/queue');
  await expect(staff.getByRole('heading', { name: 'Staff queue' })).toBeVisible();
  await expect(staff.getByRole('link', { name: title })).toBeVisible();
  await expect(staff.getByText('Overdue').first()).toBeVisible();
  await expectAccessible(staff);
  await expectNoSidewaysScroll(staff);
  // Staff add a category with its department and deadline.
  const category = `Zeleň ${Date.now()}`;
  await staff.getByText('New category', { exact: true }).click();
  const form = staff.getByRole('form', { name: 'New category' });
  await form.getByLabel(/^Name \(Slovenčina\)/).fill(category);
  await form.getByLabel('Department').fill('Oddelenie životného prostredia');
  await form.getByLabel('Days to answer').fill('20');
  await form.getByRole('button', { name: 'Add the category' }).click();
  await expect(staff.getByRole('listitem').filter({ hasText: category }).filter({ hasText: 'Oddelenie životného prostredia' })).toBeVisible();
  await expectAccessible(staff);
  await staff.getByRole('link', { name: title }).click();
  await expect(staff.getByRole('heading', { level: 1 })).toContainText(title);
  await staff.getByLabel('New status').selectOption('accepted');
  await staff.getByLabel('Public answer').fill('Thank you, the lighting crew will come this week.');
  await staff.getByRole('button', { name: 'Publish the answer' }).click();
  await expect(staff.getByText('Thank you, the lighting crew will come this week.')).toBeVisible();
  await staff.getByLabel('New status').selectOption('resolved');
  await staff.getByLabel('Public answer').fill('Both lamps were replaced.');
  await staff.getByRole('button', { name: 'Publish the answer' }).click();
  await expect(staff.getByText('Both lamps were replaced.')).toBeVisible();
  await expectAccessible(staff);
  await staff.goto('/o/banska-bystrica/reports/stats');
  await expect(staff.getByRole('heading', { name: 'Statistics' })).toBeVisible();
  await expectAccessible(staff);
  await expectNoSidewaysScroll(staff);
  await staffContext.close();

  await page.goto(reportUrl);
  await expect(page.getByText('Both lamps were replaced.')).toBeVisible();
  await expect(page.getByText('Thank you, the lighting crew will come this week.')).toBeVisible();
  await expect(page.locator('p').filter({ hasText: 'Filed by' }).locator('..').getByText('Resolved').first()).toBeVisible();
  await expectAccessible(page);
});

test('Vlasotince shows its reports, answers and statistics in Cyrillic to a Serbian reader', async ({ browser }) => {
  const context = await browser.newContext({ locale: 'sr' });
  const page = await context.newPage();
  await page.goto('/o/vlasotince/reports');
  await expect(page.getByRole('heading', { level: 1, name: 'Пријаве и предлози' })).toBeVisible();
  await page.getByRole('link', { name: /Не ради улична расвета/ }).click();
  await expect(page.getByText('Замењене су три сијалице')).toBeVisible();
  await expect(page.getByText(/Milica Jovanović|Милица Јовановић/)).toBeVisible();
  await expectAccessible(page);
  await expectNoSidewaysScroll(page);
  await page.goto('/o/vlasotince/reports/stats');
  await expect(page.getByRole('heading', { level: 1, name: 'Статистика' })).toBeVisible();
  await expectAccessible(page);
  await expectNoSidewaysScroll(page);
  await context.close();
});
