import { expect, test } from '@playwright/test';
import { expectAccessible } from './helpers';

test.use({ locale: 'en-GB' });

test('a visitor searches from the header without diacritics, sees the highlighted hit and follows it', async ({ page }) => {
  await page.goto('/o/banska-bystrica');
  await page.getByLabel('Language').selectOption('en');
  const box = page.getByRole('search').getByRole('searchbox', { name: 'Search this municipality' });
  await box.fill('diskusne podujatie');
  await box.press('Enter');
  await expect(page).toHaveURL(/\/o\/banska-bystrica\/search\?q=diskusne/);
  await expect(page.getByRole('heading', { level: 1, name: 'Search' })).toBeVisible();
  await expect(page.getByRole('heading', { level: 2, name: 'Meetings' })).toBeVisible();
  // The words as written in the demo data, highlighted although typed without accents.
  await expect(page.locator('mark', { hasText: /^diskusné$/ }).first()).toBeVisible();
  await expectAccessible(page);

  // Search as you type: the results follow the box.
  await page.getByRole('searchbox', { name: 'Search this municipality' }).fill('akcneho pla');
  await expect(page.locator('mark', { hasText: /^akčného$/ }).first()).toBeVisible();
  await page.getByRole('button', { name: /^Meetings \(\d+\)$/ }).click();
  await expect(page.getByRole('heading', { level: 2, name: 'Action plans' })).toHaveCount(0);

  await page.getByRole('link', { name: /Third OGP Local discussion event/ }).click();
  await expect(page).toHaveURL(/\/o\/banska-bystrica\/meetings\/[0-9a-f-]+$/);
  await expect(page.getByRole('heading', { level: 1, name: /Third OGP Local discussion event/ })).toBeVisible();
});
