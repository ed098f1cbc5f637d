import { expect, test } from '@playwright/test';
import { expectAccessible } from './helpers';

// A browser set to plain Serbian: the official script, Cyrillic.
test.use({ locale: 'sr' });

test('a Serbian reader gets the interface and Vlasotince in Cyrillic, and can switch to Latin', async ({ page }) => {
  await page.goto('/o/vlasotince');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Општина Власотинце');
  await expect(page.getByRole('banner').getByRole('link', { name: 'Пријава' })).toBeVisible();
  await expect(page.locator('html')).toHaveAttribute('lang', 'sr-Cyrl');
  await expectAccessible(page);
  // The action plan written in Latin reads in Cyrillic too.
  await page.goto('/o/vlasotince/action-plans');
  await expect(page.getByRole('link', { name: /^Локални акциони план Партнерства за отворену управу 2019–2020/ })).toBeVisible();
  await expect(page.getByText(/Lokalni/)).toHaveCount(0);

  await page.getByLabel('Језик').selectOption('sr-Latn');
  await expect(page.getByRole('banner').getByRole('link', { name: 'Prijava' })).toBeVisible();
  await page.goto('/o/vlasotince');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Opština Vlasotince');
  await expectAccessible(page);
});
