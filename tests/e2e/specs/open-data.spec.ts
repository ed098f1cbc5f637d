import { readFile } from 'node:fs/promises';
import { expect, test } from '@playwright/test';
import { expectAccessible, expectNoSidewaysScroll } from './helpers';

test.use({ locale: 'en-GB' });

test('anyone finds the open data, downloads a dataset as CSV and reads the catalogue', async ({ page }) => {
  await page.goto('/o/banska-bystrica');
  await page.getByRole('link', { name: 'Open data' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Open data' })).toBeVisible();
  await expect(page.getByRole('heading', { level: 2, name: 'Public meetings' })).toBeVisible();
  await expect(page.getByRole('link', { name: 'CC BY 4.0' })).toBeVisible();
  await expectAccessible(page);
  await expectNoSidewaysScroll(page);

  const downloading = page.waitForEvent('download');
  await page.getByRole('link', { name: 'CSV – Public meetings' }).click();
  const download = await downloading;
  expect(download.suggestedFilename()).toBe('banska-bystrica-meetings.csv');
  const csv = await readFile((await download.path()) as string, 'utf8');
  const [header, ...rows] = csv.trim().split('\n');
  expect(header.split(',').slice(0, 3)).toEqual(['id', 'title_sk', 'title_en']);
  expect(rows.length).toBeGreaterThan(0);

  const catalogue = await page.request.get(
    (await page.getByRole('link', { name: 'DCAT-AP catalogue' }).getAttribute('href')) as string,
  );
  expect(catalogue.ok()).toBe(true);
  const doc = await catalogue.json();
  expect(doc['@type']).toBe('dcat:Catalog');
  expect(doc['dcat:dataset'].length).toBe(12);
});
